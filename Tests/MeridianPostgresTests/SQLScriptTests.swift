import Testing

@testable import MeridianPostgres

@Suite("Splitting migration scripts into statements")
struct SQLScriptTests {
    @Test("statements are cut at semicolons and trimmed")
    func plainStatements() {
        #expect(SQLScript.statements(in: "CREATE TABLE a (x int);\n\n  CREATE TABLE b (y int) ;") == [
            "CREATE TABLE a (x int)", "CREATE TABLE b (y int)",
        ])
    }

    @Test("semicolons inside strings, identifiers and comments do not cut")
    func quotedSemicolons() {
        let script = """
            INSERT INTO t VALUES ('a;b', 'it''s; fine');
            -- a comment; with a semicolon
            CREATE TABLE "odd;name" (x int); /* block; /* nested; */ still comment; */
            SELECT E'back\\';slash';
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 3)
        #expect(statements[0] == "INSERT INTO t VALUES ('a;b', 'it''s; fine')")
        #expect(statements[1].hasSuffix("CREATE TABLE \"odd;name\" (x int)"))
        #expect(statements[2].hasSuffix("SELECT E'back\\';slash'"))
    }

    @Test("dollar-quoted function bodies stay whole, and $1 is not a quote")
    func dollarQuotes() {
        let script = """
            CREATE FUNCTION f() RETURNS trigger AS $body$
            BEGIN
              PERFORM 1; RETURN NEW;
            END;
            $body$ LANGUAGE plpgsql;
            CREATE FUNCTION g(int) RETURNS int AS $$ SELECT $1 + 1; $$ LANGUAGE sql;
            PREPARE p AS SELECT $1;
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 3)
        #expect(statements[0].contains("PERFORM 1; RETURN NEW;"))
        #expect(statements[1].contains("SELECT $1 + 1; $$ LANGUAGE sql"))
        #expect(statements[2] == "PREPARE p AS SELECT $1")
    }

    @Test("trailing comments after the last statement are not a statement")
    func trailingComment() {
        #expect(SQLScript.statements(in: "SELECT 1;\n-- the end\n") == ["SELECT 1"])
        #expect(SQLScript.statements(in: "SELECT 1;\n/* the end; really */\n") == ["SELECT 1"])
    }

    @Test("a quote right after a word ending in E is an ordinary string, not an escape string")
    func elseIsNotAnEscapeString() {
        let statements = SQLScript.statements(in: "SELECT CASE WHEN x THEN 'a' ELSE'\\' END;\nSELECT 2;")
        #expect(statements == ["SELECT CASE WHEN x THEN 'a' ELSE'\\' END", "SELECT 2"])
    }
}
