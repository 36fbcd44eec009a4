import MeridianCodes
import Foundation
import Hummingbird
import MeridianService

/// Cursor pagination of lists: `?limit=` (1…500, default 50) and `?cursor=` from the previous
/// page's `next_cursor`. A cursor names the last item seen, so pages stay stable while new items
/// arrive at the top.
struct Page {
    var limit: Int
    var cursor: UUID?

    init(query: Parameters) throws {
        if let text = query.get("limit") {
            guard let value = Int(text), (1...500).contains(value) else {
                throw ServiceError(.invalidArgument, "limit must be a whole number from 1 to 500, not '\(text)'")
            }
            limit = value
        } else {
            limit = 50
        }
        if let text = query.get("cursor") {
            guard let id = UUID(uuidString: text) else {
                throw ServiceError(.invalidArgument, "cursor '\(text)' is not one this server gave; take next_cursor from the previous page")
            }
            cursor = id
        } else {
            cursor = nil
        }
    }

    /// A page of items with the cursor of the next one (`nil` on the last page).
    struct Body<Item: Encodable>: Encodable {
        var items: [Item]
        var nextCursor: String?
    }

    /// The first `limit` of `rows` (which were read with one more, to know whether more follow).
    func wrap<Item: Encodable>(_ rows: [Item], cursor: (Item) -> UUID) -> Body<Item> {
        let items = Array(rows.prefix(limit))
        return Body(items: items, nextCursor: rows.count > limit ? items.last.map { cursor($0).uuidString.lowercased() } : nil)
    }
}
