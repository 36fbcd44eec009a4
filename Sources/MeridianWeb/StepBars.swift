import Mustache

/// The status bars as HTML, rendered once per language and current step when the pages start.
///
/// A bar depends only on the language and on which step is current — eleven bars per language
/// (each step, or none) — yet rendering one through Mustache takes some fifty lookups in
/// `[String: Any]` contexts, and "my exchanges" shows one per exchange: with 50 exchanges the
/// bars were most of the page's rendering time (docs/benchmarks.md, "Web pages"). The pages
/// insert the stored HTML as `{{{stepbar}}}`; it comes from the `stepbar` template, escaped as
/// every value there is, so the markup and the escaping stay where they were.
struct StepBars: Sendable {
    private let html: [WebLanguage: [PublicStep?: String]]

    init(templates: MustacheLibrary, messages: WebMessages) throws {
        var html: [WebLanguage: [PublicStep?: String]] = [:]
        for language in WebLanguage.allCases {
            for current in [nil] + PublicStep.allCases.map(Optional.some) {
                let context: [String: Any] = ["t": messages.table(language),
                                              "steps": PublicStep.bar(current: current, messages: messages, language: language)]
                guard let text = templates.render(context, withTemplate: "stepbar") else { throw WebError.template("stepbar") }
                // The template file's last newline stays out: `{{{stepbar}}}` stands on its own line.
                html[language, default: [:]][current] = text.hasSuffix("\n") ? String(text.dropLast()) : text
            }
        }
        self.html = html
    }

    /// The bar of an exchange in `state` (its definition's `public-step` is `label`).
    func html(state: String, label: String?, language: WebLanguage) -> String {
        html[language]?[PublicStep.of(state: state, label: label)] ?? ""
    }
}
