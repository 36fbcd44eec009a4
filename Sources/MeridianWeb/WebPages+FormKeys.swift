import Foundation
import MeridianIdentity
import MeridianService

/// Idempotency keys of the pages' forms: sending a form twice (a double click, a reload after
/// a slow answer, Back then Send) has one effect, and the second answer is the first one's.
///
/// Every rendered page carries a fresh key (`formKey`, see ``WebPages/render(_:title:values:visitor:back:status:extraHeaders:)``);
/// its forms send it back, and the handler gives the service that key scoped to the person
/// and to what the form does, so a key never replays another person's step or another
/// button's (Confirm then Back then Decline is two requests, the second refused as the
/// exchange moved on).
extension WebPages {
    /// The form's idempotency key, scoped to the person (another person's key never replays
    /// her decision); `nil` when the form carries none or a malformed one.
    static func idempotencyKey(_ value: String, caller: Caller) -> String? {
        guard let key = UUID(uuidString: value) else { return nil }
        return "web:\(caller.user.handle):\(key.uuidString.lowercased())"
    }

    /// The page's key (`key` field) for one action of the page (`confirm`, `partner:RWA`, …).
    static func idempotencyKey(_ form: FormBody, action: String, caller: Caller) -> String? {
        idempotencyKey(form["key"], caller: caller).map { "\($0):\(action)" }
    }
}
