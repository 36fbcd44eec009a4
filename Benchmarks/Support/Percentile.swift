extension Array where Element == Double {
    /// The `p`-th percentile of an ascending array, interpolating linearly between the
    /// closest ranks (numpy's default, which the peers benchmark harness also uses).
    func percentile(_ p: Double) -> Double {
        guard !isEmpty else { return .nan }
        let rank = Double(count - 1) * p / 100
        let low = Int(rank.rounded(.down))
        let high = Int(rank.rounded(.up))
        return self[low] + (self[high] - self[low]) * (rank - Double(low))
    }
}
