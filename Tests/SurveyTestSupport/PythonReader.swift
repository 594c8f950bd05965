import Foundation

/// Reads an exported file with pyreadstat or pandas (independent readers) and returns what they saw
/// (the export tests of SurveyExport and Fieldwork share it).
public enum PythonReader {
    public struct Result {
        public var columns: [String]
        /// Values per column; missing values are NSNull, extended missing as "a"/"b"/"c" strings.
        public var data: [String: [Any]]
        public var labels: [String: String]
        public var valueLabels: [String: [String: String]]
        public var missing: [String: [[Double]]]
        /// The discrete user-missing values of string columns (SPSS), in declaration order.
        public var missingTexts: [String: [String]]
        public var measures: [String: String]
        public var formats: [String: String]
        public var rowCount: Int
        /// The case/observation count the file's header declares.
        public var headerRows: Int?
    }

    private static let script = #"""
        import sys, json, math, datetime
        kind, path = sys.argv[1], sys.argv[2]
        user_missing = len(sys.argv) < 4 or sys.argv[3] != "plain"
        meta = None
        if kind == "sav":
            import pyreadstat
            df, meta = pyreadstat.read_sav(path, user_missing=user_missing)
        elif kind == "dta":
            import pyreadstat
            df, meta = pyreadstat.read_dta(path, user_missing=True)
            # pyreadstat 1.3.7 returns garbage for a plain "." in an integer column that also holds
            # .a-.z (pandas.read_stata(convert_missing=True) reads "." there); take "." from a plain read.
            plain, _ = pyreadstat.read_dta(path)
            for c in df.columns:
                if df[c].dtype == object:
                    df[c] = [a if isinstance(a, str) or not (isinstance(b, float) and b != b) else None
                             for a, b in zip(df[c].tolist(), plain[c].tolist())]
        else:
            import pandas
            sep = ";" if kind == "excel" else ","
            df = pandas.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        def conv(v):
            import pandas
            if v is None: return None
            try:
                if pandas.isna(v): return None
            except (TypeError, ValueError):
                pass
            if isinstance(v, (datetime.datetime,)): return v.strftime("%Y-%m-%dT%H:%M:%S")
            if isinstance(v, (datetime.date,)): return v.isoformat()
            if hasattr(v, "item"): v = v.item()
            if isinstance(v, float) and math.isnan(v): return None
            return v
        out = {"columns": list(df.columns), "rows": len(df),
               "data": {c: [conv(v) for v in df[c].tolist()] for c in df.columns}}
        if meta is not None:
            out["labels"] = {k: v for k, v in zip(meta.column_names, meta.column_labels) if v is not None}
            out["value_labels"] = {k: {str(kk): vv for kk, vv in v.items()} for k, v in meta.variable_value_labels.items()}
            out["missing"] = {k: [[r["lo"] if not isinstance(r["lo"], str) else -1, r["hi"] if not isinstance(r["hi"], str) else -1] for r in v] for k, v in getattr(meta, "missing_ranges", {}).items()}
            out["missing_texts"] = {k: [r["lo"] for r in v if isinstance(r["lo"], str)] for k, v in getattr(meta, "missing_ranges", {}).items()}
            out["measures"] = getattr(meta, "variable_measure", {})
            out["formats"] = getattr(meta, "original_variable_types", {})
            out["header_rows"] = getattr(meta, "number_rows", None)
        print(json.dumps(out, default=str))
        """#

    /// Reads `url`; `userMissing: false` reads an SPSS file as pyreadstat does by default
    /// (declared user-missing values become missing).
    public static func read(_ kind: String, _ url: URL, userMissing: Bool = true) throws -> Result {
        let output = try run(script: script, arguments: [kind, url.path] + (userMissing ? [] : ["plain"]))
        guard let json = try JSONSerialization.jsonObject(with: output) as? [String: Any] else {
            throw ReaderError(message: "unreadable reader output")
        }
        func dict<T>(_ key: String) -> [String: T] { json[key] as? [String: T] ?? [:] }
        let missing: [String: [[Any]]] = dict("missing")
        return Result(
            columns: json["columns"] as? [String] ?? [],
            data: dict("data"),
            labels: dict("labels"),
            valueLabels: dict("value_labels"),
            missing: missing.mapValues { $0.map { $0.compactMap { ($0 as? NSNumber)?.doubleValue } } },
            missingTexts: dict("missing_texts"),
            measures: dict("measures"),
            formats: dict("formats"),
            rowCount: json["rows"] as? Int ?? -1,
            headerRows: json["header_rows"] as? Int)
    }

    public struct ReaderError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private static func run(script: String, arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors, as: UTF8.self)
            if text.contains("No module named") || process.terminationStatus == 127 {
                throw ReaderError(
                    message: "the export tests read files with pyreadstat and pandas, which are missing: "
                        + "install them with `pip install pyreadstat pandas` (.ci/run does). \(text)")
            }
            throw ReaderError(message: "python3 failed: " + text)
        }
        return data
    }
}
