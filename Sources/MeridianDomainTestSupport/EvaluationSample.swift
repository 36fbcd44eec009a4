/// A small file of the match evaluation's format (`Tests/Evaluation`): two exchanges, three
/// language cases, one with two acceptable partner countries.
public enum EvaluationSample {
    public static let file = """
        [
          {"id": "cod-rwa", "requesting_country": "COD", "expected_country": "RWA", "sectors": ["demobilisation-reintegration"],
           "problem": {"en": "Reintegrate former combatants into civilian life through employment and training",
                       "fr": "Réintégrer d'anciens combattants dans la vie civile grâce à l'emploi et à la formation"},
           "source": "test"},
          {"id": "gtm-mex", "requesting_country": "GTM", "expected_country": ["MEX", "BRA"], "sectors": ["social-protection"],
           "problem": {"es": "Transferencias monetarias condicionadas a la asistencia escolar y a los controles de salud de los niños"},
           "source": "test"}
        ]
        """
}
