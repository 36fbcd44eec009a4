/// Thrown to roll a transaction back in a test.
struct Rollback: Error {}
