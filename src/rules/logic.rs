//! A bounded [JSON Logic](https://jsonlogic.com) evaluator, the escape hatch
//! for trigger conditions the built-in shorthands do not cover.
//!
//! Rules come from config, so they are untrusted: evaluation never panics,
//! stops with [`LogicError::TooDeep`] past [`MAX_DEPTH`] levels of nesting and
//! with [`LogicError::TooMuchWork`] past [`MAX_STEPS`] steps, so no rule can
//! overflow the stack or hang the page. [`check`] validates a rule statically
//! (unknown operators with a "did you mean" hint, wrong arity, nesting) so the
//! config validator can report problems before any rule runs.
//!
//! The semantics follow json-logic-js and the JSON Logic community test
//! suites (JavaScript truthiness and coercion, `val`/`exists`/`??`,
//! `throw`/`try`, chained comparisons); `docs/jsonlogic.md` lists the
//! operators, the limits and every deliberate deviation.
//!
//! ```
//! use pathlight::rules::logic::apply;
//! use serde_json::json;
//!
//! let rule = json!({"and": [
//!     {"==": [{"var": "page.path"}, "/checkout"]},
//!     {">=": [{"var": "journey.pages"}, 3]}
//! ]});
//! let data = json!({"page": {"path": "/checkout"}, "journey": {"pages": 4}});
//! assert_eq!(apply(&rule, &data).unwrap(), json!(true));
//! ```

use crate::validate::closest;
use serde_json::{Map, Number, Value};
use std::cmp::Ordering;

/// How deeply operations and lists may nest inside a rule. Deeper rules are
/// rejected by [`check`] and stopped by [`apply`] with [`LogicError::TooDeep`].
///
/// ```
/// use pathlight::rules::logic::{check, MAX_DEPTH};
/// use serde_json::json;
///
/// let mut rule = json!(true);
/// for _ in 0..MAX_DEPTH {
///     rule = json!({"!": [rule]});
/// }
/// assert!(check(&rule).is_ok());
/// let too_deep = json!({"!": [rule]});
/// assert!(check(&too_deep).is_err());
/// ```
pub const MAX_DEPTH: usize = 64;

/// How many steps one [`apply`] may take. Every operation and literal counts
/// one, every list item visited by `map`, `filter`, `reduce`, `all`, `some`
/// and `none` counts one, and copying or building lists and text counts in
/// proportion to their size (one per item, one per 64 bytes of text), so
/// memory is bounded too.
///
/// ```
/// use pathlight::rules::logic::{apply, LogicError, MAX_STEPS};
/// use serde_json::json;
///
/// let data = json!({"xs": vec![1; MAX_STEPS as usize]});
/// let sum = json!({"reduce": [{"var": "xs"}, {"+": [{"var": "accumulator"}, 1]}, 0]});
/// assert!(matches!(apply(&sum, &data), Err(LogicError::TooMuchWork { .. })));
/// ```
pub const MAX_STEPS: u64 = 100_000;

/// Values copied out of the data (or out of `preserve`) may nest this deep.
/// serde_json's parser stops at 128, so parsed data always fits.
const VALUE_DEPTH: usize = 128;

/// Why a rule could not be checked or evaluated.
///
/// Every error carries [`path`](LogicError::path), a JSON Pointer relative to
/// the rule (`""` is the rule itself, `/and/1` the second value of its `and`),
/// so the config validator can prefix it with where the rule sits. The
/// `Display` text is a plain-language message; [`hint`](LogicError::hint)
/// adds a suggestion where one helps.
///
/// ```
/// use pathlight::rules::logic::{apply, LogicError};
/// use serde_json::json;
///
/// let err = apply(&json!({"and": [true, {"/": [1, 0]}]}), &json!(null)).unwrap_err();
/// assert!(matches!(err, LogicError::NotANumber { .. }));
/// assert_eq!(err.path(), "/and/1");
/// assert_eq!(
///     err.to_string(),
///     "`/` cannot use a value as a number (non-numeric text, a list or an \
///      object), or its result is not a finite number (division by zero, overflow)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LogicError {
    /// An object's only key is not an operator.
    #[error("`{op}` is not a JSON Logic operator")]
    UnknownOperator {
        /// Where the operation sits in the rule.
        path: String,
        /// The unknown name.
        op: String,
        /// The closest known operator, if one is close.
        suggestion: Option<&'static str>,
    },
    /// An object with several keys where an operation was expected.
    #[error(
        "an operation is an object with exactly one key, the operator; this one has {keys} \
         (wrap literal objects in `preserve`)"
    )]
    NotAnOperation {
        /// Where the object sits in the rule.
        path: String,
        /// How many keys it has.
        keys: usize,
    },
    /// An operator got the wrong number or kind of arguments.
    #[error("`{op}` {reason}")]
    InvalidArguments {
        /// Where the operation sits in the rule.
        path: String,
        /// The operator.
        op: String,
        /// What it needs, in plain words.
        reason: &'static str,
    },
    /// Arithmetic or a comparison met a value that is not a number, or
    /// arithmetic gave no finite number (JSON Logic's `NaN` error).
    #[error(
        "`{op}` cannot use a value as a number (non-numeric text, a list or an object), or its \
         result is not a finite number (division by zero, overflow)"
    )]
    NotANumber {
        /// Where the operation sits in the rule.
        path: String,
        /// The operator.
        op: String,
    },
    /// The rule raised an error with `throw` and no `try` caught it.
    #[error("the rule threw the error {}", thrown_type(.value))]
    Thrown {
        /// Where the `throw` (or the `try` whose fallbacks all failed) sits.
        path: String,
        /// The error object, e.g. `{"type": "Not an admin"}`.
        value: Value,
    },
    /// The rule, or a value it copies from the data, nests too deeply.
    #[error("the rule, or a value it works on, is nested more than {limit} levels deep")]
    TooDeep {
        /// Where the limit was reached.
        path: String,
        /// The limit.
        limit: usize,
    },
    /// Evaluation took more than [`MAX_STEPS`] steps and was stopped.
    #[error("the rule needed more than {limit} steps to evaluate and was stopped")]
    TooMuchWork {
        /// Where the limit was reached.
        path: String,
        /// The limit.
        limit: u64,
    },
}

/// How a thrown error is named in messages: its `type` if that is text.
fn thrown_type(value: &Value) -> String {
    match value.get("type") {
        Some(Value::String(s)) => ["`", s, "`"].concat(),
        _ => value.to_string(),
    }
}

impl LogicError {
    /// The JSON Pointer to the problem, relative to the rule (`""` is the
    /// rule itself).
    ///
    /// ```
    /// use pathlight::rules::logic::check;
    /// use serde_json::json;
    ///
    /// let err = check(&json!({"or": [{"var": "a"}, {"in": ["x"]}]})).unwrap_err();
    /// assert_eq!(err.path(), "/or/1");
    /// ```
    pub fn path(&self) -> &str {
        match self {
            LogicError::UnknownOperator { path, .. }
            | LogicError::NotAnOperation { path, .. }
            | LogicError::InvalidArguments { path, .. }
            | LogicError::NotANumber { path, .. }
            | LogicError::Thrown { path, .. }
            | LogicError::TooDeep { path, .. }
            | LogicError::TooMuchWork { path, .. } => path,
        }
    }

    fn path_mut(&mut self) -> &mut String {
        match self {
            LogicError::UnknownOperator { path, .. }
            | LogicError::NotAnOperation { path, .. }
            | LogicError::InvalidArguments { path, .. }
            | LogicError::NotANumber { path, .. }
            | LogicError::Thrown { path, .. }
            | LogicError::TooDeep { path, .. }
            | LogicError::TooMuchWork { path, .. } => path,
        }
    }

    /// A suggestion for fixing the rule, e.g. ``did you mean `var`?``.
    ///
    /// ```
    /// use pathlight::rules::logic::check;
    /// use serde_json::json;
    ///
    /// let err = check(&json!({"vr": "page.path"})).unwrap_err();
    /// assert_eq!(err.to_string(), "`vr` is not a JSON Logic operator");
    /// assert_eq!(err.hint().as_deref(), Some("did you mean `var`?"));
    /// ```
    pub fn hint(&self) -> Option<String> {
        match self {
            LogicError::UnknownOperator {
                suggestion: Some(s),
                ..
            } => Some(["did you mean `", s, "`?"].concat()),
            LogicError::NotAnOperation { .. } => {
                Some("write `{\"preserve\": {...}}` for a literal object".to_string())
            }
            _ => None,
        }
    }

    /// The error as a JSON Logic error object, as `try` hands it to its
    /// fallbacks: `{"type": "NaN"}`, `{"type": "Invalid Arguments"}`, or
    /// whatever was thrown.
    ///
    /// ```
    /// use pathlight::rules::logic::apply;
    /// use serde_json::json;
    ///
    /// let err = apply(&json!({"throw": "Not an admin"}), &json!({})).unwrap_err();
    /// assert_eq!(err.error_object(), json!({"type": "Not an admin"}));
    /// let err = apply(&json!({"+": ["apple", 1]}), &json!({})).unwrap_err();
    /// assert_eq!(err.error_object(), json!({"type": "NaN"}));
    /// ```
    pub fn error_object(&self) -> Value {
        let kind = match self {
            LogicError::Thrown { value, .. } => return value.clone(),
            LogicError::NotANumber { .. } => "NaN",
            LogicError::InvalidArguments { .. } => "Invalid Arguments",
            LogicError::UnknownOperator { .. } => "Unknown Operator",
            LogicError::NotAnOperation { .. } => "Not An Operation",
            LogicError::TooDeep { .. } => "Too Deep",
            LogicError::TooMuchWork { .. } => "Too Much Work",
        };
        type_object(Value::String(kind.to_string()))
    }

    /// Whether `try` may recover from this error. Unknown operators and the
    /// safety limits are never caught.
    fn catchable(&self) -> bool {
        matches!(
            self,
            LogicError::InvalidArguments { .. }
                | LogicError::NotANumber { .. }
                | LogicError::Thrown { .. }
        )
    }

    /// Prefix the path with `/op` or `/op/index` (the error came from there).
    #[cold]
    fn at(mut self, op: Op, index: Option<usize>) -> Self {
        let mut prefix = String::from("/");
        for c in op.name().chars() {
            // RFC 6901: `~` is `~0`, `/` is `~1` (only `/` occurs in names).
            match c {
                '/' => prefix.push_str("~1"),
                c => prefix.push(c),
            }
        }
        if let Some(i) = index {
            prefix.push('/');
            prefix.push_str(&i.to_string());
        }
        let path = self.path_mut();
        prefix.push_str(path);
        *path = prefix;
        self
    }

    /// Prefix the path with `/index` (the error came from a list item).
    #[cold]
    fn at_index(mut self, index: usize) -> Self {
        let path = self.path_mut();
        *path = ["/", &index.to_string(), path.as_str()].concat();
        self
    }
}

fn type_object(kind: Value) -> Value {
    let mut m = Map::new();
    m.insert("type".to_string(), kind);
    Value::Object(m)
}

#[cold]
fn invalid(op: Op, reason: &'static str) -> LogicError {
    LogicError::InvalidArguments {
        path: String::new(),
        op: op.name().to_string(),
        reason,
    }
}

#[cold]
fn nan(op: Op) -> LogicError {
    LogicError::NotANumber {
        path: String::new(),
        op: op.name().to_string(),
    }
}

#[cold]
fn too_deep(limit: usize) -> LogicError {
    LogicError::TooDeep {
        path: String::new(),
        limit,
    }
}

#[cold]
fn unknown(name: &str) -> LogicError {
    // The closest known operator of the same kind: `vr` suggests `var`,
    // `=` suggests `==`, but `a` does not suggest `!`.
    let word = |n: &str| n.starts_with(|c: char| c.is_alphanumeric() || c == '_');
    let kind = word(name);
    let pool: Vec<&'static str> = Op::ALL
        .iter()
        .map(|op| op.name())
        .filter(|n| word(n) == kind)
        .collect();
    LogicError::UnknownOperator {
        path: String::new(),
        op: name.to_string(),
        suggestion: closest(name, &pool),
    }
}

/// The operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Var,
    Val,
    Exists,
    Missing,
    MissingSome,
    If,
    Ternary,
    Eq,
    StrictEq,
    Ne,
    StrictNe,
    Not,
    Truthy,
    Or,
    And,
    Coalesce,
    Gt,
    Ge,
    Lt,
    Le,
    Max,
    Min,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Map,
    Filter,
    Reduce,
    All,
    None,
    Some,
    Merge,
    In,
    Cat,
    Substr,
    Log,
    Throw,
    Try,
    Preserve,
}

impl Op {
    const ALL: [Op; 41] = [
        Op::Var,
        Op::Val,
        Op::Exists,
        Op::Missing,
        Op::MissingSome,
        Op::If,
        Op::Ternary,
        Op::Eq,
        Op::StrictEq,
        Op::Ne,
        Op::StrictNe,
        Op::Not,
        Op::Truthy,
        Op::Or,
        Op::And,
        Op::Coalesce,
        Op::Gt,
        Op::Ge,
        Op::Lt,
        Op::Le,
        Op::Max,
        Op::Min,
        Op::Add,
        Op::Sub,
        Op::Mul,
        Op::Div,
        Op::Mod,
        Op::Map,
        Op::Filter,
        Op::Reduce,
        Op::All,
        Op::None,
        Op::Some,
        Op::Merge,
        Op::In,
        Op::Cat,
        Op::Substr,
        Op::Log,
        Op::Throw,
        Op::Try,
        Op::Preserve,
    ];

    fn parse(name: &str) -> Option<Op> {
        Some(match name {
            "var" => Op::Var,
            "val" => Op::Val,
            "exists" => Op::Exists,
            "missing" => Op::Missing,
            "missing_some" => Op::MissingSome,
            "if" => Op::If,
            "?:" => Op::Ternary,
            "==" => Op::Eq,
            "===" => Op::StrictEq,
            "!=" => Op::Ne,
            "!==" => Op::StrictNe,
            "!" => Op::Not,
            "!!" => Op::Truthy,
            "or" => Op::Or,
            "and" => Op::And,
            "??" => Op::Coalesce,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "<" => Op::Lt,
            "<=" => Op::Le,
            "max" => Op::Max,
            "min" => Op::Min,
            "+" => Op::Add,
            "-" => Op::Sub,
            "*" => Op::Mul,
            "/" => Op::Div,
            "%" => Op::Mod,
            "map" => Op::Map,
            "filter" => Op::Filter,
            "reduce" => Op::Reduce,
            "all" => Op::All,
            "none" => Op::None,
            "some" => Op::Some,
            "merge" => Op::Merge,
            "in" => Op::In,
            "cat" => Op::Cat,
            "substr" => Op::Substr,
            "log" => Op::Log,
            "throw" => Op::Throw,
            "try" => Op::Try,
            "preserve" => Op::Preserve,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Op::Var => "var",
            Op::Val => "val",
            Op::Exists => "exists",
            Op::Missing => "missing",
            Op::MissingSome => "missing_some",
            Op::If => "if",
            Op::Ternary => "?:",
            Op::Eq => "==",
            Op::StrictEq => "===",
            Op::Ne => "!=",
            Op::StrictNe => "!==",
            Op::Not => "!",
            Op::Truthy => "!!",
            Op::Or => "or",
            Op::And => "and",
            Op::Coalesce => "??",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Max => "max",
            Op::Min => "min",
            Op::Add => "+",
            Op::Sub => "-",
            Op::Mul => "*",
            Op::Div => "/",
            Op::Mod => "%",
            Op::Map => "map",
            Op::Filter => "filter",
            Op::Reduce => "reduce",
            Op::All => "all",
            Op::None => "none",
            Op::Some => "some",
            Op::Merge => "merge",
            Op::In => "in",
            Op::Cat => "cat",
            Op::Substr => "substr",
            Op::Log => "log",
            Op::Throw => "throw",
            Op::Try => "try",
            Op::Preserve => "preserve",
        }
    }

    /// Operators whose arguments must be written as a literal list: they
    /// decide themselves which arguments to evaluate, and when.
    fn needs_list(self) -> bool {
        matches!(
            self,
            Op::If
                | Op::Ternary
                | Op::And
                | Op::Or
                | Op::Map
                | Op::Filter
                | Op::Reduce
                | Op::All
                | Op::Some
                | Op::None
                | Op::Eq
                | Op::Ne
                | Op::StrictEq
                | Op::StrictNe
                | Op::Lt
                | Op::Le
                | Op::Gt
                | Op::Ge
        )
    }

    /// Minimum and maximum argument count, and the message when outside.
    fn arity(self) -> (usize, usize, &'static str) {
        const ANY: usize = usize::MAX;
        match self {
            Op::Eq
            | Op::Ne
            | Op::StrictEq
            | Op::StrictNe
            | Op::Lt
            | Op::Le
            | Op::Gt
            | Op::Ge
            | Op::Mod => (2, ANY, "needs at least two values"),
            Op::Sub | Op::Div | Op::Max | Op::Min => (1, ANY, "needs at least one value"),
            Op::Ternary => (
                3,
                3,
                "needs exactly three values: a condition, a value if true and a value if false",
            ),
            Op::Map | Op::Filter | Op::All | Op::Some | Op::None => (
                2,
                2,
                "needs exactly two values: a list and a rule to apply to each item",
            ),
            Op::Reduce => (2, 3, "needs a list, a rule and optionally a starting value"),
            Op::In => (2, 2, "needs exactly two values: what to look for and where"),
            Op::Substr => (2, 3, "needs a text, a start and optionally a length"),
            Op::MissingSome => (
                2,
                2,
                "needs exactly two values: how many are required and the list of names",
            ),
            Op::Not | Op::Truthy | Op::Log => (0, 1, "takes one value"),
            Op::Throw => (1, 1, "takes one value: the error to throw"),
            Op::Var => (0, 2, "takes a path and optionally a default value"),
            _ => (0, ANY, ""),
        }
    }
}

const NEEDS_LIST: &str = "needs its arguments written as a list, e.g. [a, b]";
const NULL_ITERATOR: &str = "needs a list and a rule, not null";

/// Evaluate `rule` against `data` (the object rules receive).
///
/// Never panics; errors say what went wrong and where in the rule.
///
/// ```
/// use pathlight::rules::logic::apply;
/// use serde_json::json;
///
/// let rule = json!({"if": [
///     {"some": [{"var": "cart.items"}, {">": [{"var": "price"}, 100]}]}, "big-ticket",
///     "regular"
/// ]});
/// let data = json!({"cart": {"items": [{"price": 20}, {"price": 250}]}});
/// assert_eq!(apply(&rule, &data).unwrap(), json!("big-ticket"));
///
/// let err = apply(&json!({"-": []}), &data).unwrap_err();
/// assert_eq!(err.to_string(), "`-` needs at least one value");
/// ```
pub fn apply(rule: &Value, data: &Value) -> Result<Value, LogicError> {
    let root = Scope {
        frame: Frame::Value(data),
        parent: None,
    };
    Eval { steps: 0 }.eval(rule, &root, 0)
}

/// Check a rule without evaluating it: every operator is known (with a "did
/// you mean" hint when not), operators that need a list of arguments get
/// one, argument counts fit where they are knowable, and nesting stays within
/// [`MAX_DEPTH`]. Reports the first problem in document order. Rules that
/// pass can still fail at run time on data (e.g. dividing by zero).
///
/// ```
/// use pathlight::rules::logic::{check, LogicError};
/// use serde_json::json;
///
/// assert!(check(&json!({"<": [0, {"var": "cart.total"}, 100]})).is_ok());
///
/// let err = check(&json!({"and": [true, {"misisng": ["email"]}]})).unwrap_err();
/// assert!(matches!(err, LogicError::UnknownOperator { .. }));
/// assert_eq!(err.path(), "/and/1");
/// assert_eq!(err.hint().as_deref(), Some("did you mean `missing`?"));
///
/// let err = check(&json!({"map": [{"var": "items"}]})).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "`map` needs exactly two values: a list and a rule to apply to each item"
/// );
/// ```
pub fn check(rule: &Value) -> Result<(), LogicError> {
    check_at(rule, 0)
}

fn check_at(rule: &Value, depth: usize) -> Result<(), LogicError> {
    match rule {
        Value::Array(items) => {
            if depth >= MAX_DEPTH {
                return Err(too_deep(MAX_DEPTH));
            }
            for (i, item) in items.iter().enumerate() {
                check_at(item, depth + 1).map_err(|e| e.at_index(i))?;
            }
            Ok(())
        }
        Value::Object(map) => {
            let (op, args) = match operation(map)? {
                Some(pair) => pair,
                None => return Ok(()),
            };
            if depth >= MAX_DEPTH {
                return Err(too_deep(MAX_DEPTH));
            }
            if op == Op::Preserve {
                return Ok(());
            }
            check_arguments(op, args)?;
            match args {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        check_at(item, depth + 1).map_err(|e| e.at(op, Some(i)))?;
                    }
                    Ok(())
                }
                other => check_at(other, depth + 1).map_err(|e| e.at(op, None)),
            }
        }
        _ => Ok(()),
    }
}

/// Static argument checks for one operation.
fn check_arguments(op: Op, args: &Value) -> Result<(), LogicError> {
    let count = match args {
        Value::Array(items) => items.len(),
        _ if op.needs_list() => return Err(invalid(op, NEEDS_LIST)),
        // Computed arguments: their count is only known at run time.
        Value::Object(m) if !m.is_empty() => return Ok(()),
        _ => 1,
    };
    let (min, max, reason) = op.arity();
    if count < min || count > max {
        return Err(invalid(op, reason));
    }
    if let (Op::Map | Op::Filter | Op::Reduce, Value::Array(items)) = (op, args) {
        if items.iter().take(2).any(Value::is_null) {
            return Err(invalid(op, NULL_ITERATOR));
        }
    }
    Ok(())
}

/// `Ok(None)` for `{}` (a literal), the operator and its arguments for a
/// one-key object, an error otherwise.
fn operation(map: &Map<String, Value>) -> Result<Option<(Op, &Value)>, LogicError> {
    let mut entries = map.iter();
    match (entries.next(), entries.next()) {
        (None, _) => Ok(None),
        (Some((name, args)), None) => match Op::parse(name) {
            Some(op) => Ok(Some((op, args))),
            None => Err(unknown(name)),
        },
        _ => Err(LogicError::NotAnOperation {
            path: String::new(),
            keys: map.len(),
        }),
    }
}

/// One level of the context stack `val` can climb.
#[derive(Clone, Copy)]
enum Frame<'a> {
    /// A context value: the data, an item being iterated, a `reduce` state,
    /// or the error a `try` fallback sees.
    Value(&'a Value),
    /// Iteration state above an item: reads as `{"index": i}`.
    Index(usize),
}

/// The context stack as a linked list on the Rust stack.
struct Scope<'a> {
    frame: Frame<'a>,
    parent: Option<&'a Scope<'a>>,
}

static NULL: Value = Value::Null;

/// Where a path lookup got to.
enum Found<'v> {
    Ref(&'v Value),
    /// An iteration frame, `{"index": i}`.
    Index(usize),
    /// The number `i` read from an iteration frame.
    Number(usize),
    Missing,
}

/// One step of a path.
enum Key<'k> {
    Str(&'k str),
    Num(f64),
}

fn step<'v>(at: Found<'v>, key: Key<'_>) -> Found<'v> {
    let hit = match (at, key) {
        (Found::Ref(Value::Object(m)), Key::Str(k)) => m.get(k),
        (Found::Ref(Value::Object(m)), Key::Num(f)) => {
            let mut k = String::new();
            push_number(&mut k, f);
            m.get(&k)
        }
        (Found::Ref(Value::Array(a)), Key::Str(k)) => array_index(k).and_then(|i| a.get(i)),
        (Found::Ref(Value::Array(a)), Key::Num(f)) => {
            if f >= 0.0 && f.fract() == 0.0 && f < a.len() as f64 {
                a.get(f as usize)
            } else {
                None
            }
        }
        (Found::Index(i), Key::Str("index")) => return Found::Number(i),
        _ => None,
    };
    hit.map_or(Found::Missing, Found::Ref)
}

/// A canonical array index ("0", "17"; not "01", "+1" or "1.0").
fn array_index(k: &str) -> Option<usize> {
    let canonical =
        !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) && (k == "0" || !k.starts_with('0'));
    if canonical {
        k.parse().ok()
    } else {
        None
    }
}

fn frame_start(frame: Frame<'_>) -> Found<'_> {
    match frame {
        Frame::Value(v) => Found::Ref(v),
        Frame::Index(i) => Found::Index(i),
    }
}

/// Resolve a `var` path: dot-separated keys; `""` is the whole context.
fn dotted<'v>(scope: &Scope<'v>, path: &str) -> Found<'v> {
    let mut at = frame_start(scope.frame);
    if path.is_empty() {
        return at;
    }
    for part in path.split('.') {
        at = step(at, Key::Str(part));
        if matches!(at, Found::Missing) {
            break;
        }
    }
    at
}

/// Resolve `val`/`exists` arguments: an optional `[levels]` to climb, then
/// one key per argument.
fn resolve_keys<'v>(vals: &[Value], scope: &'v Scope<'v>) -> Found<'v> {
    let (scope, keys) = match vals.split_first() {
        Some((Value::Array(levels), rest)) => {
            // `[n]` climbs n levels; the sign is ignored, as in json-logic-engine.
            let n = levels.first().map_or(0.0, to_number).abs();
            let mut scope = scope;
            let mut climbed = 0.0;
            // The chain is at most 2 * MAX_DEPTH + 1 long, so this ends soon
            // even for a huge or infinite n (and a NaN n never enters).
            while climbed < n {
                match scope.parent {
                    Some(p) => scope = p,
                    None => return Found::Missing,
                }
                climbed += 1.0;
            }
            (scope, rest)
        }
        _ => (scope, vals),
    };
    let mut at = frame_start(scope.frame);
    for key in keys {
        let owned;
        let key = match key {
            Value::String(s) => Key::Str(s),
            Value::Number(n) => Key::Num(n.as_f64().unwrap_or(f64::NAN)),
            Value::Bool(true) => Key::Str("true"),
            Value::Bool(false) => Key::Str("false"),
            Value::Null => Key::Str("null"),
            other => {
                owned = js_string(other);
                Key::Str(&owned)
            }
        };
        at = step(at, key);
        if matches!(at, Found::Missing) {
            break;
        }
    }
    at
}

/// JavaScript truthiness: `false`, `null`, `0`, `""` and `[]` are falsy.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(_) => true,
    }
}

/// JavaScript `Number(v)`, except that lists and objects are `NaN`.
fn to_number(v: &Value) -> f64 {
    match v {
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::String(s) => parse_number(s),
        Value::Array(_) | Value::Object(_) => f64::NAN,
    }
}

/// JavaScript's string-to-number conversion: surrounding white space is
/// ignored, empty text is 0, `0x`/`0o`/`0b` prefixes, `Infinity`, decimals
/// with an optional sign, fraction and exponent; anything else is `NaN`.
fn parse_number(s: &str) -> f64 {
    let t = s.trim_matches(|c: char| (c.is_whitespace() && c != '\u{85}') || c == '\u{feff}');
    if t.is_empty() {
        return 0.0;
    }
    let radix = match t.get(..2) {
        Some("0x" | "0X") => 16,
        Some("0o" | "0O") => 8,
        Some("0b" | "0B") => 2,
        _ => 10,
    };
    if radix != 10 {
        return parse_radix(t.get(2..).unwrap_or(""), radix);
    }
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if unsigned == "Infinity" {
        return if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    // Rewrite into JSON's number grammar (no `+`, no leading zeros, digits
    // on both sides of the point) and let serde_json parse it: it is linked
    // in anyway, while Rust's own float parser would add ~15 KiB of wasm.
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (unsigned.get(..at).unwrap_or(""), unsigned.get(at + 1..)),
        None => (unsigned, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = match exponent {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && digits(e)
        }
    };
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) || !exponent_ok {
        return f64::NAN;
    }
    let mut json = String::with_capacity(t.len() + 3);
    if negative {
        json.push('-');
    }
    let int = int.trim_start_matches('0');
    json.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        json.push('.');
        json.push_str(frac);
    }
    if let Some(e) = exponent {
        json.push('e');
        json.push_str(e);
    }
    match serde_json::from_str::<Value>(&json) {
        Ok(v) => v.as_f64().unwrap_or(f64::NAN),
        // Only out-of-range exponents fail here: JavaScript gives ±Infinity
        // or 0.
        Err(_) if exponent.is_some_and(|e| e.starts_with('-')) => 0.0,
        Err(_) if negative => f64::NEG_INFINITY,
        Err(_) => f64::INFINITY,
    }
}

fn parse_radix(digits: &str, radix: u32) -> f64 {
    if digits.is_empty() {
        return f64::NAN;
    }
    let mut n = 0.0;
    for c in digits.chars() {
        match c.to_digit(radix) {
            Some(d) => n = n * f64::from(radix) + f64::from(d),
            None => return f64::NAN,
        }
    }
    n
}

/// A JSON number for an arithmetic result; `NaN` and infinities are errors.
fn number(op: Op, f: f64) -> Result<Value, LogicError> {
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        // Exact as an integer: |f| < 2^53.
        return Ok(Value::from(f as i64));
    }
    // `None` for NaN and the infinities.
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| nan(op))
}

/// JavaScript `String(n)`: the shortest digits that round-trip, written
/// plainly from 1e-6 up to 1e21 and with an exponent outside that.
fn push_number(out: &mut String, f: f64) {
    if f.is_nan() {
        return out.push_str("NaN");
    }
    if f == 0.0 {
        // Also -0.
        return out.push('0');
    }
    if f.is_infinite() {
        return out.push_str(if f > 0.0 { "Infinity" } else { "-Infinity" });
    }
    if f < 0.0 {
        out.push('-');
    }
    // serde_json writes the shortest round-trip digits (ryu); read them
    // back as digits d1..dk and an exponent n with |f| = 0.d1..dk × 10^n.
    let shortest = Number::from_f64(f.abs()).map(|n| n.to_string());
    let shortest = shortest.as_deref().unwrap_or("0");
    let (mantissa, exp) = match shortest.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (shortest, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = int.bytes().chain(frac.bytes());
    let leading = all.clone().take_while(|&b| b == b'0').count();
    let digits: Vec<u8> = all.skip(leading).collect();
    let digits = match digits.iter().rposition(|&b| b != b'0') {
        Some(last) => digits.get(..=last).unwrap_or(&digits),
        None => return out.push('0'),
    };
    let k = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    let int_len = i32::try_from(int.len()).unwrap_or(i32::MAX);
    let leading = i32::try_from(leading).unwrap_or(i32::MAX);
    let n = int_len.saturating_sub(leading).saturating_add(exp);
    // The digits are ASCII.
    let push_digits =
        |out: &mut String, ds: &[u8]| out.push_str(std::str::from_utf8(ds).unwrap_or(""));
    if k <= n && n <= 21 {
        // 12300
        push_digits(out, digits);
        push_zeros(out, n - k);
    } else if 0 < n && n <= 21 {
        // 12.3
        let (a, b) = digits.split_at(usize::try_from(n).unwrap_or(0).min(digits.len()));
        push_digits(out, a);
        out.push('.');
        push_digits(out, b);
    } else if -6 < n && n <= 0 {
        // 0.00123
        out.push_str("0.");
        push_zeros(out, -n);
        push_digits(out, digits);
    } else {
        // 1.23e+21, 1e-7
        let (first, rest) = digits.split_at(1.min(digits.len()));
        push_digits(out, first);
        if !rest.is_empty() {
            out.push('.');
            push_digits(out, rest);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        out.push_str(&n.saturating_sub(1).unsigned_abs().to_string());
    }
}

fn push_zeros(out: &mut String, count: i32) {
    for _ in 0..count {
        out.push('0');
    }
}

/// How `cat`, `in` and `substr` read a value as text. `null` is empty text;
/// lists are joined with commas as JavaScript does.
fn push_js_string(out: &mut String, v: &Value) {
    match v {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => push_number(out, n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_js_string(out, item);
            }
        }
        Value::Object(_) => out.push_str("[object Object]"),
    }
}

fn js_string(v: &Value) -> String {
    let mut s = String::new();
    push_js_string(&mut s, v);
    s
}

/// JavaScript's `ToIntegerOrInfinity`, clamped so sums cannot overflow.
fn to_integer(v: &Value) -> i64 {
    let f = to_number(v);
    if f.is_nan() {
        return 0;
    }
    let limit = 9_007_199_254_740_992.0;
    f.trunc().clamp(-limit, limit) as i64
}

/// `===`: same type and same value. Numbers compare numerically; lists and
/// objects compare by content.
fn strict_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| strict_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, p)| y.get(k).is_some_and(|q| strict_eq(p, q)))
        }
        _ => false,
    }
}

/// Order two values for `<`, `==` and friends. Text compares with text
/// as text; anything else compares as numbers. Lists, objects and text
/// that is not a number are `NaN` errors, except that `null` (a missing
/// value) against such text is simply unordered (`None`).
fn order(op: Op, a: &Value, b: &Value) -> Result<Option<Ordering>, LogicError> {
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            // JavaScript compares UTF-16 code units.
            Ok(Some(x.encode_utf16().cmp(y.encode_utf16())))
        }
        (Value::Array(_) | Value::Object(_), _) | (_, Value::Array(_) | Value::Object(_)) => {
            Err(nan(op))
        }
        _ => {
            let (x, y) = (to_number(a), to_number(b));
            if x.is_nan() || y.is_nan() {
                if a.is_null() || b.is_null() {
                    Ok(None)
                } else {
                    Err(nan(op))
                }
            } else {
                Ok(x.partial_cmp(&y))
            }
        }
    }
}

/// Does the pair satisfy the comparison?
fn compare(op: Op, a: &Value, b: &Value) -> Result<bool, LogicError> {
    use Ordering::{Equal, Greater, Less};
    Ok(match op {
        Op::StrictEq => strict_eq(a, b),
        Op::StrictNe => !strict_eq(a, b),
        Op::Eq => order(op, a, b)? == Some(Equal),
        Op::Ne => order(op, a, b)? != Some(Equal),
        Op::Lt => order(op, a, b)? == Some(Less),
        Op::Gt => order(op, a, b)? == Some(Greater),
        Op::Le => matches!(order(op, a, b)?, Some(Less | Equal)),
        _ => matches!(order(op, a, b)?, Some(Greater | Equal)),
    })
}

/// The arguments of an operator that needs a literal list.
fn list(op: Op, args: &Value) -> Result<&[Value], LogicError> {
    match args {
        Value::Array(items) => Ok(items),
        _ => Err(invalid(op, NEEDS_LIST)),
    }
}

/// `{"index": i}`, an iteration frame read as a whole.
fn index_object(i: usize) -> Value {
    let mut m = Map::new();
    m.insert("index".to_string(), Value::from(i));
    Value::Object(m)
}

/// Evaluation state: the step budget used so far.
struct Eval {
    steps: u64,
}

impl Eval {
    fn tick(&mut self, n: u64) -> Result<(), LogicError> {
        self.steps = self.steps.saturating_add(n);
        if self.steps > MAX_STEPS {
            return Err(LogicError::TooMuchWork {
                path: String::new(),
                limit: MAX_STEPS,
            });
        }
        Ok(())
    }

    /// Cost of text: one step per 64 bytes.
    fn tick_text(&mut self, s: &str) -> Result<(), LogicError> {
        self.tick((s.len() / 64) as u64)
    }

    /// Copy a value, paying for its size and refusing absurd nesting.
    fn copy(&mut self, v: &Value, level: usize) -> Result<Value, LogicError> {
        match v {
            Value::Array(items) => {
                if level >= VALUE_DEPTH {
                    return Err(too_deep(VALUE_DEPTH));
                }
                self.tick(items.len() as u64)?;
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.copy(item, level + 1)?);
                }
                Ok(Value::Array(out))
            }
            Value::Object(m) => {
                if level >= VALUE_DEPTH {
                    return Err(too_deep(VALUE_DEPTH));
                }
                self.tick(m.len() as u64)?;
                let mut out = Map::new();
                for (k, item) in m {
                    self.tick_text(k)?;
                    out.insert(k.clone(), self.copy(item, level + 1)?);
                }
                Ok(Value::Object(out))
            }
            Value::String(s) => {
                self.tick_text(s)?;
                Ok(Value::String(s.clone()))
            }
            Value::Number(n) => Ok(Value::Number(n.clone())),
            Value::Bool(b) => Ok(Value::Bool(*b)),
            Value::Null => Ok(Value::Null),
        }
    }

    /// Turn a lookup result into a value.
    fn found(&mut self, found: Found<'_>, default: Option<Value>) -> Result<Value, LogicError> {
        match found {
            Found::Ref(v) => self.copy(v, 0),
            Found::Index(i) => Ok(index_object(i)),
            Found::Number(i) => Ok(Value::from(i)),
            Found::Missing => Ok(default.unwrap_or(Value::Null)),
        }
    }

    fn eval(&mut self, rule: &Value, scope: &Scope<'_>, depth: usize) -> Result<Value, LogicError> {
        self.tick(1)?;
        match rule {
            Value::Array(items) => {
                if depth >= MAX_DEPTH {
                    return Err(too_deep(MAX_DEPTH));
                }
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(
                        self.eval(item, scope, depth + 1)
                            .map_err(|e| e.at_index(i))?,
                    );
                }
                Ok(Value::Array(out))
            }
            Value::Object(map) => match operation(map)? {
                None => Ok(Value::Object(Map::new())),
                Some(_) if depth >= MAX_DEPTH => Err(too_deep(MAX_DEPTH)),
                Some((op, args)) => self.operate(op, args, scope, depth + 1),
            },
            scalar => self.copy(scalar, 0),
        }
    }

    /// Evaluate argument `i` of `op`, locating errors at `/op/i`.
    fn arg(
        &mut self,
        op: Op,
        i: usize,
        rule: &Value,
        scope: &Scope<'_>,
        depth: usize,
    ) -> Result<Value, LogicError> {
        self.eval(rule, scope, depth).map_err(|e| e.at(op, Some(i)))
    }

    /// Dispatch one operation. Only dispatch here: this frame sits on every
    /// level of recursion, so the work lives in helpers that do not.
    fn operate(
        &mut self,
        op: Op,
        args: &Value,
        scope: &Scope<'_>,
        depth: usize,
    ) -> Result<Value, LogicError> {
        match op {
            Op::Preserve => self.copy(args, 0),
            Op::If | Op::Ternary => self.branch(op, list(op, args)?, scope, depth),
            Op::And | Op::Or => self.junction(op, list(op, args)?, scope, depth),
            Op::Coalesce => self.coalesce(op, args, scope, depth),
            Op::Try => self.attempt(op, args, scope, depth),
            Op::Eq | Op::Ne | Op::StrictEq | Op::StrictNe | Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                self.chain(op, list(op, args)?, scope, depth)
            }
            Op::Map | Op::Filter | Op::All | Op::Some | Op::None => {
                self.iterate(op, list(op, args)?, scope, depth)
            }
            Op::Reduce => self.reduce(op, list(op, args)?, scope, depth),
            Op::Not | Op::Truthy | Op::Log | Op::Throw => self.unary(op, args, scope, depth),
            Op::Var
            | Op::Val
            | Op::Exists
            | Op::Missing
            | Op::MissingSome
            | Op::Add
            | Op::Sub
            | Op::Mul
            | Op::Div
            | Op::Mod
            | Op::Max
            | Op::Min
            | Op::Cat
            | Op::Substr
            | Op::Merge
            | Op::In => {
                let vals = self.values(op, args, scope, depth)?;
                self.eager(op, vals, scope)
            }
        }
    }

    /// Evaluate all arguments. A single non-list argument is one value,
    /// unless it is an operation that yields a list: then the list items
    /// are the arguments (`{"max": {"var": "scores"}}`).
    fn values(
        &mut self,
        op: Op,
        args: &Value,
        scope: &Scope<'_>,
        depth: usize,
    ) -> Result<Vec<Value>, LogicError> {
        match args {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(self.arg(op, i, item, scope, depth)?);
                }
                Ok(out)
            }
            other => match self.eval(other, scope, depth).map_err(|e| e.at(op, None))? {
                Value::Array(items) if other.is_object() => Ok(items),
                v => Ok(vec![v]),
            },
        }
    }

    /// `if` / `?:`: condition, then, [condition, then, ...], [else].
    fn branch(
        &mut self,
        op: Op,
        items: &[Value],
        scope: &Scope<'_>,
        depth: usize,
    ) -> Result<Value, LogicError> {
        for (n, pair) in items.chunks(2).enumerate() {
            match pair {
                [cond, then] => {
                    let holds = truthy(&self.arg(op, 2 * n, cond, scope, depth)?);
                    if holds {
                        return self.arg(op, 2 * n + 1, then, scope, depth);
                    }
                }
                [otherwise] => return self.arg(op, 2 * n, otherwise, scope, depth),
                _ => {}
            }
        }
        Ok(Value::Null)
    }

    /// `and` / `or`: the first value that decides, else the last one.
    fn junction(
        &mut self,
        op: Op,
        items: &[Value],
        scope: &Scope<'_>,
        depth: usize,
    ) -> Result<Value, LogicError> {
        let mut last = Value::Bool(false);
        for (i, item) in items.iter().enumerate() {
            let v = self.arg(op, i, item, scope, depth)?;
            if truthy(&v) == (op == Op::Or) {
                return Ok(v);
            }
            last = v;
        }
        Ok(last)
    }

    /// `??`: the first value that is not null.
    fn coalesce(
        &mut self,
        op: Op,
        args: &Value,
        scope: &Scope<'_>,
        depth: usize,
    ) -> Result<Value, LogicError> {
        if let Value::Array(items) = args {
            for (i, item) in items.iter().enumerate() {
                let v = self.arg(op, i, item, scope, depth)?;
                if !v.is_null() {
                    return Ok(v);
                }
            }
            return Ok(Value::Null);
        }
        let vals = self.values(op, args, scope, depth)?;
        Ok(vals
            .into_iter()
            .find(|v| !v.is_null())
            .unwrap_or(Value::Null))
    }

    /// `try`: the first argument that does not fail. Each fallback sees
    /// the previous error object as its context.
    fn attempt(
        &mut self,
        op: Op,
        args: &Value,
        scope: &Scope<'_>,
        depth: usize,
    ) -> Result<Value, LogicError> {
        let items = match args {
            Value::Array(items) => items,
            other => return self.eval(other, scope, depth).map_err(|e| e.at(op, None)),
        };
        let mut failed: Option<LogicError> = None;
        for (i, item) in items.iter().enumerate() {
            let result = match &failed {
                None => self.arg(op, i, item, scope, depth),
                Some(error) => {
                    let context = error.error_object();
                    let above = Scope {
                        frame: Frame::Value(&NULL),
                        parent: Some(scope),
                    };
                    let inner = Scope {
                        frame: Frame::Value(&context),
                        parent: Some(&above),
                    };
                    self.arg(op, i, item, &inner, depth)
                }
            };
            match result {
                Ok(v) => return Ok(v),
                Err(e) if e.catchable() => failed = Some(e),
                Err(e) => return Err(e),
            }
        }
        match failed {
            Some(e) => Err(e),
            None => Ok(Value::Null),
        }
    }

    /// Comparisons, chained: `{"<": [a, b, c]}` is `a < b and b < c`,
    /// evaluated lazily.
    fn chain(
        &mut self,
        op: Op,
        items: &[Value],
        scope: &Scope<'_>,
        depth: usize,
    ) -> Result<Value, LogicError> {
        let (first, rest) = match items.split_first() {
            Some(split) if !split.1.is_empty() => split,
            _ => return Err(invalid(op, op.arity().2)),
        };
        let mut prev = self.arg(op, 0, first, scope, depth)?;
        for (i, item) in rest.iter().enumerate() {
            let next = self.arg(op, i + 1, item, scope, depth)?;
            if !compare(op, &prev, &next)? {
                return Ok(Value::Bool(false));
            }
            prev = next;
        }
        Ok(Value::Bool(true))
    }

    /// `!`, `!!`, `log` and `throw`: one value, taken as is (a list from an
    /// operation stays one value). `[]` means no value.
    fn unary(
        &mut self,
        op: Op,
        args: &Value,
        scope: &Scope<'_>,
        depth: usize,
    ) -> Result<Value, LogicError> {
        let value = match args {
            Value::Array(items) => match items.first() {
                Some(first) => Some(self.arg(op, 0, first, scope, depth)?),
                None => None,
            },
            other => Some(self.eval(other, scope, depth).map_err(|e| e.at(op, None))?),
        };
        match op {
            Op::Not => Ok(Value::Bool(!value.as_ref().is_some_and(truthy))),
            Op::Truthy => Ok(Value::Bool(value.as_ref().is_some_and(truthy))),
            Op::Log => Ok(value.unwrap_or(Value::Null)),
            _ => Err(LogicError::Thrown {
                path: String::new(),
                value: match value {
                    Some(thrown @ Value::Object(_)) => thrown,
                    other => type_object(other.unwrap_or(Value::Null)),
                },
            }),
        }
    }

    /// `map`, `filter`, `all`, `some`, `none`.
    fn iterate(
        &mut self,
        op: Op,
        items: &[Value],
        scope: &Scope<'_>,
        depth: usize,
    ) -> Result<Value, LogicError> {
        let (source, rule) = match items {
            [source, rule, ..] => (source, rule),
            _ => return Err(invalid(op, op.arity().2)),
        };
        let maps = matches!(op, Op::Map | Op::Filter);
        if maps && (source.is_null() || rule.is_null()) {
            return Err(invalid(op, NULL_ITERATOR));
        }
        let list = match self.arg(op, 0, source, scope, depth)? {
            Value::Array(list) => list,
            _ if maps => return Ok(Value::Array(Vec::new())),
            _ => return Err(invalid(op, "needs a list to go through")),
        };
        let had_items = !list.is_empty();
        let mut out = Vec::new();
        for (i, item) in list.into_iter().enumerate() {
            self.tick(1)?;
            let above = Scope {
                frame: Frame::Index(i),
                parent: Some(scope),
            };
            let inner = Scope {
                frame: Frame::Value(&item),
                parent: Some(&above),
            };
            let v = self.arg(op, 1, rule, &inner, depth)?;
            match op {
                Op::Map => out.push(v),
                Op::Filter if truthy(&v) => out.push(item),
                Op::All if !truthy(&v) => return Ok(Value::Bool(false)),
                Op::Some if truthy(&v) => return Ok(Value::Bool(true)),
                Op::None if truthy(&v) => return Ok(Value::Bool(false)),
                _ => {}
            }
        }
        Ok(match op {
            Op::Map | Op::Filter => Value::Array(out),
            // `all` of nothing is false in JSON Logic.
            Op::All => Value::Bool(had_items),
            Op::Some => Value::Bool(false),
            _ => Value::Bool(true),
        })
    }

    /// `reduce`: list, rule over `current` and `accumulator`, start value.
    fn reduce(
        &mut self,
        op: Op,
        items: &[Value],
        scope: &Scope<'_>,
        depth: usize,
    ) -> Result<Value, LogicError> {
        let (source, rule, start) = match items {
            [source, rule] => (source, rule, None),
            [source, rule, start, ..] => (source, rule, Some(start)),
            _ => return Err(invalid(op, op.arity().2)),
        };
        if source.is_null() || rule.is_null() {
            return Err(invalid(op, NULL_ITERATOR));
        }
        let list = self.arg(op, 0, source, scope, depth)?;
        let start = match start {
            Some(rule) => Some(self.arg(op, 2, rule, scope, depth)?),
            None => None,
        };
        let list = match list {
            Value::Array(list) => list,
            _ => return Ok(start.unwrap_or(Value::Null)),
        };
        let mut list = list.into_iter().enumerate();
        let mut acc = match start {
            Some(v) => v,
            // No start value: begin with the first item, as JavaScript does.
            None => match list.next() {
                Some((_, first)) => first,
                None => return Ok(Value::Null),
            },
        };
        for (i, item) in list {
            self.tick(1)?;
            let mut state = Map::new();
            state.insert("current".to_string(), item);
            state.insert("accumulator".to_string(), acc);
            let state = Value::Object(state);
            let above = Scope {
                frame: Frame::Index(i),
                parent: Some(scope),
            };
            let inner = Scope {
                frame: Frame::Value(&state),
                parent: Some(&above),
            };
            acc = self.arg(op, 1, rule, &inner, depth)?;
        }
        Ok(acc)
    }

    /// Operators whose arguments are all evaluated up front.
    fn eager(&mut self, op: Op, vals: Vec<Value>, scope: &Scope<'_>) -> Result<Value, LogicError> {
        match op {
            Op::Var => {
                let mut vals = vals.into_iter();
                let key = vals.next().unwrap_or(Value::Null);
                let default = vals.next();
                let at = match key {
                    Value::Null => frame_start(scope.frame),
                    Value::String(path) => dotted(scope, &path),
                    other => dotted(scope, &js_string(&other)),
                };
                self.found(at, default)
            }
            Op::Val => {
                let at = resolve_keys(&vals, scope);
                self.found(at, None)
            }
            Op::Exists => Ok(Value::Bool(!matches!(
                resolve_keys(&vals, scope),
                Found::Missing
            ))),
            Op::Missing => Ok(Value::Array(self.missing(vals, scope)?)),
            Op::MissingSome => {
                let mut vals = vals.into_iter();
                let (need, keys) = match (vals.next(), vals.next()) {
                    (Some(need), Some(keys)) => (to_number(&need), keys),
                    _ => return Err(invalid(op, op.arity().2)),
                };
                let keys = match keys {
                    Value::Array(keys) => keys,
                    other => vec![other],
                };
                let total = keys.len();
                let missing = self.missing(keys, scope)?;
                let found = total.saturating_sub(missing.len());
                Ok(Value::Array(if found as f64 >= need {
                    Vec::new()
                } else {
                    missing
                }))
            }
            Op::Add | Op::Mul => {
                let mut acc = if op == Op::Add { 0.0 } else { 1.0 };
                for v in &vals {
                    let x = to_number(v);
                    if x.is_nan() {
                        return Err(nan(op));
                    }
                    acc = if op == Op::Add { acc + x } else { acc * x };
                }
                number(op, acc)
            }
            Op::Sub | Op::Div | Op::Mod => {
                let mut nums = vals.iter().map(to_number);
                let first = match nums.next() {
                    Some(x) => x,
                    None => return Err(invalid(op, op.arity().2)),
                };
                let mut acc = match (op, vals.len()) {
                    (Op::Sub, 1) => -first,
                    (Op::Div, 1) => 1.0 / first,
                    (Op::Mod, 1) => return Err(invalid(op, op.arity().2)),
                    _ => first,
                };
                for x in nums {
                    acc = match op {
                        Op::Sub => acc - x,
                        Op::Div => acc / x,
                        _ => acc % x,
                    };
                }
                number(op, acc)
            }
            Op::Max | Op::Min => {
                let mut best: Option<f64> = None;
                for v in &vals {
                    let x = to_number(v);
                    if x.is_nan() {
                        return Err(nan(op));
                    }
                    best = Some(match best {
                        Some(b) if (op == Op::Max) == (b >= x) => b,
                        _ => x,
                    });
                }
                match best {
                    Some(b) => number(op, b),
                    None => Err(invalid(op, op.arity().2)),
                }
            }
            Op::Cat => {
                let mut out = String::new();
                for v in &vals {
                    push_js_string(&mut out, v);
                }
                self.tick_text(&out)?;
                Ok(Value::String(out))
            }
            Op::Substr => {
                let text = vals.first().map(js_string).unwrap_or_default();
                let len = i64::try_from(text.chars().count()).unwrap_or(i64::MAX);
                let start = vals.get(1).map_or(0, to_integer);
                let start = if start < 0 {
                    (len + start).max(0)
                } else {
                    start.min(len)
                };
                let end = match vals.get(2).map(to_integer) {
                    None => len,
                    Some(n) if n < 0 => (len + n).max(start),
                    Some(n) => start.saturating_add(n).min(len),
                };
                let skip = usize::try_from(start).unwrap_or(0);
                let take = usize::try_from(end - start).unwrap_or(0);
                Ok(Value::String(text.chars().skip(skip).take(take).collect()))
            }
            Op::Merge => {
                let mut out = Vec::new();
                for v in vals {
                    match v {
                        Value::Array(items) => out.extend(items),
                        other => out.push(other),
                    }
                }
                self.tick(out.len() as u64)?;
                Ok(Value::Array(out))
            }
            _ => Ok(Value::Bool(match (vals.first(), vals.get(1)) {
                // `in`: a substring of text, or an item of a list.
                (Some(needle), Some(Value::String(hay))) => {
                    hay.contains(js_string(needle).as_str())
                }
                (Some(needle), Some(Value::Array(hay))) => hay.iter().any(|v| strict_eq(needle, v)),
                _ => false,
            })),
        }
    }

    /// `missing`: the names whose value is absent, `null` or `""`.
    fn missing(&mut self, vals: Vec<Value>, scope: &Scope<'_>) -> Result<Vec<Value>, LogicError> {
        // One list argument is the list of names.
        let keys = match <[Value; 1]>::try_from(vals) {
            Ok([Value::Array(keys)]) => keys,
            Ok([single]) => vec![single],
            Err(vals) => vals,
        };
        let mut out = Vec::new();
        for key in keys {
            self.tick(1)?;
            let at = match &key {
                Value::String(path) => dotted(scope, path),
                other => dotted(scope, &js_string(other)),
            };
            let absent = match at {
                Found::Ref(v) => v.is_null() || v.as_str() == Some(""),
                Found::Missing => true,
                Found::Index(_) | Found::Number(_) => false,
            };
            if absent {
                out.push(key);
            }
        }
        Ok(out)
    }
}

// The tests' one PRNG, shared with the integration tests.
#[cfg(test)]
#[path = "../../tests/support/rng.rs"]
mod test_rng;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::{Duration, Instant};

    fn run(rule: Value) -> Result<Value, LogicError> {
        apply(&rule, &json!({}))
    }

    /// `{"!": [{"!": [ ... true ... ]}]}`, `levels` operations deep, built
    /// without recursion.
    fn nested_nots(levels: usize) -> Value {
        let mut rule = json!(true);
        for _ in 0..levels {
            let mut op = Map::new();
            op.insert("!".into(), Value::Array(vec![rule]));
            rule = Value::Object(op);
        }
        rule
    }

    /// `[[[ ... ]]]`, `levels` lists deep.
    fn nested_lists(levels: usize) -> Value {
        let mut v = json!(1);
        for _ in 0..levels {
            v = Value::Array(vec![v]);
        }
        v
    }

    /// Take a deep value apart iteratively: dropping it recursively could
    /// overflow the test thread's stack.
    fn dismantle(mut v: Value) {
        loop {
            v = match v {
                Value::Array(mut items) => match items.pop() {
                    Some(inner) => inner,
                    None => return,
                },
                Value::Object(map) => match map.into_iter().next() {
                    Some((_, inner)) => inner,
                    None => return,
                },
                _ => return,
            };
        }
    }

    #[test]
    fn ten_thousand_nested_operations_are_refused_not_a_stack_overflow() {
        let rule = nested_nots(10_000);
        let err = apply(&rule, &json!({})).unwrap_err();
        assert!(matches!(
            err,
            LogicError::TooDeep {
                limit: MAX_DEPTH,
                ..
            }
        ));
        assert_eq!(err.path(), "/!/0".repeat(MAX_DEPTH));
        assert_eq!(
            err.to_string(),
            "the rule, or a value it works on, is nested more than 64 levels deep"
        );
        let err = check(&rule).unwrap_err();
        assert!(matches!(err, LogicError::TooDeep { .. }));
        assert_eq!(err.path(), "/!/0".repeat(MAX_DEPTH));
        dismantle(rule);
    }

    #[test]
    fn ten_thousand_nested_lists_are_refused() {
        let rule = nested_lists(10_000);
        assert!(matches!(
            apply(&rule, &json!(null)),
            Err(LogicError::TooDeep { .. })
        ));
        assert!(matches!(check(&rule), Err(LogicError::TooDeep { .. })));
        dismantle(rule);
    }

    #[test]
    fn the_deepest_allowed_rule_runs_and_one_more_level_does_not() {
        // 64 nested `!` around `true`: an even number, so `true`.
        assert_eq!(run(nested_nots(MAX_DEPTH)).unwrap(), json!(true));
        assert!(check(&nested_nots(MAX_DEPTH)).is_ok());
        assert!(run(nested_nots(MAX_DEPTH + 1)).is_err());
        assert!(check(&nested_nots(MAX_DEPTH + 1)).is_err());
    }

    #[test]
    fn the_deepest_rule_fits_in_a_small_stack() {
        // Nesting every kind of frame the evaluator has: iterators, try, if.
        let mut rule = json!({"var": ""});
        for i in 0..MAX_DEPTH - 1 {
            rule = match i % 4 {
                0 => json!({"map": [[1], rule]}),
                1 => json!({"try": [{"throw": "x"}, rule]}),
                2 => json!({"reduce": [[1], rule, 0]}),
                _ => json!({"if": [true, rule]}),
            };
        }
        assert!(check(&rule).is_ok(), "{:?}", check(&rule));
        let worker = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || apply(&rule, &json!({"x": 1})))
            .unwrap();
        let outcome = worker.join().unwrap();
        assert!(outcome.is_ok(), "{outcome:?}");
    }

    #[test]
    fn data_nested_absurdly_deep_is_refused_when_copied() {
        // Not `json!`: it would serialize the deep value recursively.
        let mut data = Map::new();
        data.insert("deep".into(), nested_lists(10_000));
        data.insert("shallow".into(), json!(7));
        let data = Value::Object(data);
        assert_eq!(apply(&json!({"var": "shallow"}), &data).unwrap(), json!(7));
        assert_eq!(
            apply(&json!({"var": "deep.0.0.0.0.0.0.0.0.0.0"}), &data)
                .unwrap_err()
                .error_object(),
            json!({"type": "Too Deep"})
        );
        assert!(matches!(
            apply(&json!({"var": ""}), &data),
            Err(LogicError::TooDeep { .. })
        ));
        dismantle(data);
    }

    fn assert_stops_quickly(rule: &Value, data: &Value) -> LogicError {
        let started = Instant::now();
        let err = apply(rule, data).unwrap_err();
        let took = started.elapsed();
        assert!(
            matches!(
                err,
                LogicError::TooMuchWork {
                    limit: MAX_STEPS,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(took < Duration::from_secs(3), "took {took:?}");
        err
    }

    #[test]
    fn a_reduce_over_a_huge_list_hits_the_budget() {
        let sum = json!({"reduce": [
            {"var": "xs"}, {"+": [{"var": "accumulator"}, {"var": "current"}]}, 0
        ]});
        // Copying 20,000 items fits the budget; summing them (about six
        // steps an item) does not.
        let data = json!({ "xs": vec![1; 20_000] });
        assert_eq!(
            apply(&json!({"var": "xs"}), &data).map(|v| v.as_array().map(Vec::len)),
            Ok(Some(20_000))
        );
        let err = assert_stops_quickly(&sum, &data);
        assert!(err.path().starts_with("/reduce/1"), "{}", err.path());
        // A million items do not even get copied.
        let data = json!({ "xs": vec![1; 1_000_000] });
        let err = assert_stops_quickly(&sum, &data);
        assert_eq!(err.path(), "/reduce/0");
        // Within budget it completes.
        let data = json!({ "xs": vec![1; 1_000] });
        assert_eq!(apply(&sum, &data).unwrap(), json!(1_000));
    }

    #[test]
    fn exponential_fan_out_hits_the_budget() {
        // 100^5 = 10^10 evaluations without a budget.
        let data = json!({ "xs": vec![0; 100] });
        let mut rule = json!({"+": [1, 1]});
        for level in (0..5).rev() {
            // Each enclosing map adds two frames (index, item) to climb.
            rule = json!({"map": [{"val": [[2 * level], "xs"]}, rule]});
        }
        let err = assert_stops_quickly(&rule, &data);
        assert!(err.path().starts_with("/map/1/map/1"), "{}", err.path());
        assert_eq!(
            err.to_string(),
            "the rule needed more than 100000 steps to evaluate and was stopped"
        );
    }

    #[test]
    fn doubling_lists_and_text_hits_the_budget_before_memory_runs_out() {
        let data = json!({ "xs": vec![0; 64] });
        let lists = json!({"reduce": [
            {"var": "xs"}, {"merge": [{"var": "accumulator"}, {"var": "accumulator"}]}, [1]
        ]});
        assert_stops_quickly(&lists, &data);
        let text = json!({"reduce": [
            {"var": "xs"}, {"cat": [{"var": "accumulator"}, {"var": "accumulator"}]}, "ab"
        ]});
        assert_stops_quickly(&text, &data);
        let wrapping = json!({"reduce": [
            {"var": "xs"}, [{"var": "accumulator"}, {"var": "accumulator"}], 1
        ]});
        assert_stops_quickly(&wrapping, &data);
    }

    #[test]
    fn try_does_not_catch_the_safety_limits() {
        let data = json!({ "xs": vec![0; 1000] });
        let bomb = json!({"map": [{"var": "xs"}, {"map": [{"val": [[2], "xs"]}, 1]}]});
        let rule = json!({"try": [bomb, "fallback"]});
        let err = assert_stops_quickly(&rule, &data);
        assert!(err.path().starts_with("/try/0/map/1"), "{}", err.path());

        let rule = json!({"try": [nested_nots(100), "fallback"]});
        assert!(matches!(run(rule), Err(LogicError::TooDeep { .. })));
        let rule = json!({"try": [{"nope": 1}, "fallback"]});
        assert!(matches!(run(rule), Err(LogicError::UnknownOperator { .. })));
        // Ordinary errors are caught.
        let rule = json!({"try": [{"/": [1, 0]}, "fallback"]});
        assert_eq!(run(rule).unwrap(), json!("fallback"));
    }

    #[test]
    fn check_reports_an_unknown_operator_with_a_hint_and_its_path() {
        let rule = json!({"if": [
            {"and": [true, {"vr": "page.path"}]}, "yes", "no"
        ]});
        let err = check(&rule).unwrap_err();
        assert_eq!(
            err,
            LogicError::UnknownOperator {
                path: "/if/0/and/1".into(),
                op: "vr".into(),
                suggestion: Some("var"),
            }
        );
        assert_eq!(err.to_string(), "`vr` is not a JSON Logic operator");
        assert_eq!(err.hint().as_deref(), Some("did you mean `var`?"));
        // Evaluation reports the same operator at the same place.
        let err = apply(&rule, &json!({})).unwrap_err();
        assert_eq!(err.path(), "/if/0/and/1");
        assert_eq!(err.hint().as_deref(), Some("did you mean `var`?"));

        let err = check(&json!({"frobnicate": []})).unwrap_err();
        assert_eq!(err.path(), "");
        assert_eq!(err.hint(), None);
        // Hints stay within words or symbols.
        let hint = |op: &str| check(&json!({ op: [] })).unwrap_err().hint();
        assert_eq!(hint("="), Some("did you mean `==`?".into()));
        assert_eq!(hint("Filter"), Some("did you mean `filter`?".into()));
        assert_eq!(hint("a"), None);
    }

    #[test]
    fn check_reports_arity_and_shape_problems() {
        let cases = [
            (json!({"%": [1]}), "", "`%` needs at least two values"),
            (json!({"==": [1]}), "", "`==` needs at least two values"),
            (
                json!({"and": true}),
                "",
                "`and` needs its arguments written as a list, e.g. [a, b]",
            ),
            (
                json!({"map": {"var": "pairs"}}),
                "",
                "`map` needs its arguments written as a list, e.g. [a, b]",
            ),
            (
                json!({"or": [false, {"!": [1, 2]}]}),
                "/or/1",
                "`!` takes one value",
            ),
            (
                json!({"filter": [null, true]}),
                "",
                "`filter` needs a list and a rule, not null",
            ),
            (
                json!({"some": [{"var": "xs"}, {"in": ["a"]}, 3]}),
                "",
                "`some` needs exactly two values: a list and a rule to apply to each item",
            ),
            (
                json!({"+": [1, {"/": []}]}),
                "/+/1",
                "`/` needs at least one value",
            ),
            (
                json!({"cat": [{"a": 1, "b": 2}]}),
                "/cat/0",
                "an operation is an object with exactly one key, the operator; this one has 2 \
                 (wrap literal objects in `preserve`)",
            ),
        ];
        for (rule, path, message) in cases {
            let err = check(&rule).unwrap_err();
            assert_eq!(
                (err.path(), err.to_string().as_str()),
                (path, message),
                "{rule}"
            );
        }
        // JSON Pointer escaping of `/` and `~` in operator names.
        let err = check(&json!({"/": [1, {"a/b~": 1}]})).unwrap_err();
        assert_eq!(err.path(), "/~1/1");
    }

    #[test]
    fn check_accepts_valid_rules_and_ignores_preserved_data() {
        let rules = [
            json!({"<": [0, {"var": "total"}, 100]}),
            json!({"if": [{"missing": ["a", "b"]}, "ask", "thanks"]}),
            json!({"max": {"var": "scores"}}),
            json!({"reduce": [{"var": "xs"}, {"+": [{"var": "current"}, {"var": "accumulator"}]}]}),
            json!({"preserve": {"not": "an operation", "at": "all"}}),
            json!({"try": [{"throw": "x"}, {"val": "type"}]}),
            json!([1, {"var": "x"}, {}]),
            json!("plain"),
        ];
        for rule in rules {
            assert_eq!(check(&rule), Ok(()), "{rule}");
        }
    }

    #[test]
    fn every_operator_name_round_trips_and_evaluates() {
        for op in Op::ALL {
            assert_eq!(Op::parse(op.name()), Some(op));
            let mut rule = Map::new();
            rule.insert(op.name().to_string(), json!([]));
            let outcome = run(Value::Object(rule));
            assert!(
                !matches!(outcome, Err(LogicError::UnknownOperator { .. })),
                "{op:?}"
            );
        }
    }

    #[test]
    fn numbers_read_and_print_as_in_javascript() {
        let read = [
            ("", 0.0),
            (" 12 ", 12.0),
            ("\u{a0}1e1\n", 10.0),
            ("-1.5", -1.5),
            ("+.5", 0.5),
            ("5.", 5.0),
            ("007", 7.0),
            ("0x1F", 31.0),
            ("0b101", 5.0),
            ("0o17", 15.0),
            ("1e400", f64::INFINITY),
            ("-1e400", f64::NEG_INFINITY),
            ("1e-400", 0.0),
            ("-Infinity", f64::NEG_INFINITY),
            ("123456789012345678901234567890", 1.2345678901234568e29),
        ];
        for (text, want) in read {
            assert_eq!(parse_number(text), want, "{text:?}");
        }
        for text in [
            "abc", ".", "e5", "1e", "1e+", "--1", "1.2.3", "inf", "NaN", "1_000", "0x", "-0x1",
        ] {
            assert!(parse_number(text).is_nan(), "{text:?}");
        }
        let print = [
            (0.0, "0"),
            (-0.0, "0"),
            (3.0, "3"),
            (-2.5, "-2.5"),
            (0.1, "0.1"),
            (0.000001, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (123.456, "123.456"),
            (1e20, "100000000000000000000"),
            (18446744073709551615.0, "18446744073709552000"),
            (1e21, "1e+21"),
            (1.25e25, "1.25e+25"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (n, want) in print {
            let mut s = String::new();
            push_number(&mut s, n);
            assert_eq!(s, want, "{n}");
        }
    }

    #[test]
    fn runtime_errors_point_at_the_failing_operation() {
        let err = run(json!({"and": [true, {"/": [1, 0]}]})).unwrap_err();
        assert_eq!(
            (err.path(), err.error_object()),
            ("/and/1", json!({"type": "NaN"}))
        );
        let err = run(json!({"map": [[2, 0], {"/": [1, {"var": ""}]}]})).unwrap_err();
        assert_eq!(err.path(), "/map/1");
        let err = run(json!({"if": [true, [0, {"throw": "stop"}]]})).unwrap_err();
        assert_eq!(err.path(), "/if/1/1");
        assert_eq!(err.to_string(), "the rule threw the error `stop`");
    }

    #[test]
    fn odd_inputs_give_answers_not_panics() {
        let cases = [
            (json!({"substr": ["abc", 1e300, -1e300]}), json!("")),
            (json!({"substr": ["abc", -1e300]}), json!("abc")),
            (json!({"substr": ["héllo wörld", 1, 3]}), json!("éll")),
            (json!({"substr": ["abc", "x", null]}), json!("")),
            (json!({"val": [[1e300], "x"]}), json!(null)),
            (json!({"val": [["many"], "x"]}), json!(null)),
            (json!({"val": [[0], 1.5]}), json!(null)),
            (json!({"var": 1e300}), json!(null)),
            (json!({"var": "a.-1"}), json!(null)),
            (json!({"missing_some": [1e300, ["a"]]}), json!(["a"])),
            (json!({"+": ["0x1F", " 12 ", "\u{a0}1e1\n"]}), json!(53)),
            (json!({"max": [-1e300, "-2"]}), json!(-2)),
            (json!({"in": [{"var": "x"}, {"var": "y"}]}), json!(false)),
            (
                json!({"cat": [1.5, 1e21, -0.0, 0.1, 1e-7, [1, [2, null]], {}]}),
                json!("1.51e+2100.11e-71,2,[object Object]"),
            ),
            (
                json!({"===": [[1, {"preserve": {"a": 2}}], [1.0, {"preserve": {"a": 2.0}}]]}),
                json!(true),
            ),
            (json!({"===": [[1, 2], [1, 2, 3]]}), json!(false)),
            (json!({"==": [null, "pro"]}), json!(false)),
            (json!({"!=": [null, "pro"]}), json!(true)),
            (json!({"<": [null, "pro"]}), json!(false)),
            (json!({"reduce": [[], {"var": "current"}]}), json!(null)),
            (json!({"if": [true]}), json!(true)),
            (json!({"??": []}), json!(null)),
            (json!({"log": [{"+": [1, 1]}]}), json!(2)),
        ];
        for (rule, want) in cases {
            assert_eq!(run(rule.clone()), Ok(want), "{rule}");
        }
        let errors = [
            json!({"*": [1e308, 10]}),
            json!({"%": [5, 0]}),
            json!({"+": ["inf"]}),
            json!({"+": ["1_000"]}),
            json!({"-": ["Infinity"]}),
            json!({"<": [1, "a"]}),
        ];
        for rule in errors {
            assert_eq!(
                run(rule.clone()).map_err(|e| e.error_object()),
                Err(json!({"type": "NaN"})),
                "{rule}"
            );
        }
    }

    use super::test_rng::Rng;

    fn random_rule(rng: &mut Rng, depth: usize) -> Value {
        const SCALARS: [&str; 16] = [
            "null",
            "true",
            "false",
            "0",
            "1",
            "-2.5",
            "1e308",
            "\"\"",
            "\"0\"",
            "\"a\"",
            "\"1e3\"",
            "\"x.y\"",
            "\"xs\"",
            "\"current\"",
            "\"index\"",
            "[]",
        ];
        let pick = if depth == 0 { 0 } else { rng.below(4) };
        match pick {
            0 | 1 => {
                let text = SCALARS[rng.below(SCALARS.len())];
                serde_json::from_str(text).unwrap()
            }
            2 if rng.below(4) == 0 => {
                let n = rng.below(4);
                Value::Array((0..n).map(|_| random_rule(rng, depth - 1)).collect())
            }
            _ => {
                let name = if rng.below(50) == 0 {
                    "nope"
                } else {
                    Op::ALL[rng.below(Op::ALL.len())].name()
                };
                let args = if rng.below(5) == 0 {
                    random_rule(rng, depth - 1)
                } else {
                    let n = rng.below(5);
                    Value::Array((0..n).map(|_| random_rule(rng, depth - 1)).collect())
                };
                let mut op = Map::new();
                op.insert(name.to_string(), args);
                Value::Object(op)
            }
        }
    }

    #[test]
    fn random_rules_never_panic_and_check_agrees_with_apply() {
        let data = json!({
            "x": {"y": [1, "2", null]}, "xs": [3, 1, 2], "a": "", "s": "text",
            "current": 1, "deep": {"er": {"est": true}}
        });
        let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
        let (mut ok, mut failed) = (0, 0);
        for _ in 0..20_000 {
            let rule = random_rule(&mut rng, 5);
            let checked = check(&rule);
            let outcome = apply(&rule, &data);
            match &outcome {
                Ok(_) => ok += 1,
                Err(_) => failed += 1,
            }
            // Static problems found while evaluating are found by `check`.
            if let Err(
                LogicError::UnknownOperator { .. }
                | LogicError::NotAnOperation { .. }
                | LogicError::TooDeep { .. },
            ) = &outcome
            {
                assert!(checked.is_err(), "check missed what apply found: {rule}");
            }
            // Every error names a location inside the rule.
            if let Err(e) = &outcome {
                assert!(e.path().is_empty() || e.path().starts_with('/'), "{e:?}");
            }
        }
        // The generator exercises both outcomes.
        assert!(ok > 1_000 && failed > 1_000, "ok {ok}, failed {failed}");
    }

    /// The choices listed in docs/jsonlogic.md where the suites are silent.
    #[test]
    fn documented_choices_hold() {
        let data = json!({"s": "text", "xs": [2, 3, 4], "plan": null});
        let results = [
            // 1. null against non-numeric text: unequal and unordered.
            (json!({"==": [{"var": "plan"}, "pro"]}), json!(false)),
            (json!({"!=": [{"var": "plan"}, "pro"]}), json!(true)),
            (json!({">=": [{"var": "plan"}, "pro"]}), json!(false)),
            (json!({"==": [{"var": "plan"}, 0]}), json!(true)),
            // 2. Lists and objects compare by content.
            (json!({"===": [{"var": "xs"}, [2, 3, 4]]}), json!(true)),
            (json!({"in": [[3], [[2], [3]]]}), json!(true)),
            // 5. reduce without a start value starts from the first item.
            (
                json!({"reduce": [{"var": "xs"}, {"*": [{"var": "current"}, {"var": "accumulator"}]}]}),
                json!(24),
            ),
            // 6. A list that is missing is empty.
            (json!({"map": [{"var": "nope"}, 1]}), json!([])),
            (json!({"reduce": [{"var": "nope"}, 1, 7]}), json!(7)),
            // 7. substr counts Unicode characters.
            (json!({"substr": ["a😀b", 1, 1]}), json!("😀")),
            // 8. No JavaScript properties.
            (json!({"var": "s.length"}), json!(null)),
            (json!({"var": "s.0"}), json!(null)),
            // 9. null is empty text.
            (json!({"cat": [null, "x", [1, null]]}), json!("x1,")),
            // 12. The sign of a climb is ignored; past the top is null.
            (json!({"map": [[1], {"val": [[-2], "s"]}]}), json!(["text"])),
            (json!({"map": [[1], {"val": [[3], "s"]}]}), json!([null])),
        ];
        for (rule, want) in results {
            assert_eq!(apply(&rule, &data), Ok(want), "{rule}");
        }
        let errors = [
            // 3. Objects with several keys are not operations.
            (json!({"cat": ["a", {"x": 1, "y": 2}]}), "Not An Operation"),
            // 4. No max of nothing; overflow is NaN.
            (json!({"max": []}), "Invalid Arguments"),
            (json!({"min": {"preserve": []}}), "Invalid Arguments"),
            (json!({"*": [1e300, 1e300]}), "NaN"),
            // 6. Literal null lists and rules are invalid.
            (json!({"map": [null, 1]}), "Invalid Arguments"),
            (
                json!({"reduce": [{"var": "xs"}, null]}),
                "Invalid Arguments",
            ),
            (json!({"all": [{"var": "nope"}, true]}), "Invalid Arguments"),
        ];
        for (rule, kind) in errors {
            assert_eq!(
                apply(&rule, &data).map_err(|e| e.error_object()),
                Err(json!({ "type": kind })),
                "{rule}"
            );
        }
    }

    #[test]
    fn integral_results_are_json_integers() {
        assert_eq!(run(json!({"/": [6, 3]})).unwrap().as_i64(), Some(2));
        assert_eq!(run(json!({"*": [0.5, 3]})).unwrap().as_f64(), Some(1.5));
        assert_eq!(run(json!({"-": [0]})).unwrap().as_i64(), Some(0));
    }
}
