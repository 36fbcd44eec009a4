extension Duration {
    /// The duration in seconds as a floating-point number, for figures that are printed
    /// (never for anything that must be exact).
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
