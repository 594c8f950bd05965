/// A value per rule instance, as the engine's hot state keeps it: a top-level instance (no
/// roster rows, most of a questionnaire's rules) in an array by its rule's index, an instance
/// in roster rows in a dictionary. Reading or writing a top-level instance hashes nothing.
struct InstanceTable<Value: Sendable>: Sendable {
    private var top: [Value?]
    private var nested: [RuleInstance: Value] = [:]

    /// An empty table for a plan of `rules` rules.
    init(rules: Int) {
        top = Array(repeating: nil, count: rules)
    }

    subscript(_ instance: RuleInstance) -> Value? {
        get { instance.rows.isEmpty ? top[instance.rule] : nested[instance] }
        set {
            if instance.rows.isEmpty {
                top[instance.rule] = newValue
            } else {
                nested[instance] = newValue
            }
        }
    }

    /// The value at a rule and rows.
    subscript(rule rule: Int, rows rows: [Int]) -> Value? {
        rows.isEmpty ? top[rule] : nested[RuleInstance(rule: rule, rows: rows)]
    }

    /// Stores a value and returns the one it replaced.
    mutating func updateValue(_ value: Value, forKey instance: RuleInstance) -> Value? {
        let old = self[instance]
        self[instance] = value
        return old
    }
}

/// A set of rule instances kept like ``InstanceTable``: top-level instances as flags by rule index.
struct InstanceSet: Sendable {
    private var top: [Bool]
    private var nested: Set<RuleInstance> = []

    init(rules: Int) {
        top = Array(repeating: false, count: rules)
    }

    /// Adds an instance; false when it was already there.
    mutating func insert(_ instance: RuleInstance) -> Bool {
        guard instance.rows.isEmpty else { return nested.insert(instance).inserted }
        if top[instance.rule] { return false }
        top[instance.rule] = true
        return true
    }

    mutating func remove(_ instance: RuleInstance) {
        if instance.rows.isEmpty { top[instance.rule] = false } else { nested.remove(instance) }
    }
}
