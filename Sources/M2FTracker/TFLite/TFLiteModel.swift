import Foundation

/// The parts of a `.tflite` file (TensorFlow Lite's FlatBuffers schema, `tensorflow/lite/schema/schema.fbs`)
/// that the tracker needs: the first subgraph's tensors, operators and constant buffers. Field numbers
/// below are the schema's field order.
struct TFLiteModel {
    /// Element types (`TensorType` in the schema) that the tracker's models use.
    enum ElementType: Int {
        case float32 = 0, float16 = 1, int32 = 2
    }

    struct TensorEntry {
        let name: String
        let shape: [Int]
        /// Raw `TensorType`; see `ElementType`.
        let type: Int
        /// Constant bytes (empty for activations and graph inputs).
        let data: ArraySlice<UInt8>
    }

    struct Operator {
        /// The builtin operator's schema name (`CONV_2D`).
        let name: String
        let inputs: [Int]
        let outputs: [Int]
        /// The options the runner uses, by schema field name (`stride_w`, `padding`, `fused_activation_function`).
        let options: [String: Int]
    }

    let tensors: [TensorEntry]
    let operators: [Operator]
    let inputs: [Int]
    let outputs: [Int]

    /// `BuiltinOperator` codes of the operators the tracker's three models contain (and their option
    /// tables' fields that matter, in schema order).
    static let builtinNames: [Int: String] = [
        0: "ADD", 1: "AVERAGE_POOL_2D", 2: "CONCATENATION", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D", 6: "DEQUANTIZE",
        14: "LOGISTIC", 17: "MAX_POOL_2D", 18: "MUL", 19: "RELU", 22: "RESHAPE", 34: "PAD", 39: "TRANSPOSE",
        40: "MEAN", 41: "SUB", 42: "DIV", 45: "STRIDED_SLICE", 54: "PRELU", 59: "NEG", 74: "SUM", 75: "SQRT",
        76: "RSQRT", 99: "SQUARED_DIFFERENCE",
    ]

    /// Option fields per operator, by position in the operator's options table.
    static let optionFields: [String: [(name: String, byteSized: Bool, defaultValue: Int)]] = {
        let activation = [("fused_activation_function", true, 0)]
        let conv = [("padding", true, 0), ("stride_w", false, 1), ("stride_h", false, 1), ("fused_activation_function", true, 0),
                    ("dilation_w_factor", false, 1), ("dilation_h_factor", false, 1)]
        let depthwise = [("padding", true, 0), ("stride_w", false, 1), ("stride_h", false, 1), ("depth_multiplier", false, 1),
                         ("fused_activation_function", true, 0), ("dilation_w_factor", false, 1), ("dilation_h_factor", false, 1)]
        let pool = [("padding", true, 0), ("stride_w", false, 1), ("stride_h", false, 1), ("filter_width", false, 1),
                    ("filter_height", false, 1), ("fused_activation_function", true, 0)]
        let fields: [String: [(String, Bool, Int)]] = [
            "ADD": activation, "MUL": activation, "SUB": activation, "DIV": activation,
            "CONV_2D": conv, "DEPTHWISE_CONV_2D": depthwise, "MAX_POOL_2D": pool, "AVERAGE_POOL_2D": pool,
            "CONCATENATION": [("axis", false, 0), ("fused_activation_function", true, 0)],
            "MEAN": [("keep_dims", true, 0)], "SUM": [("keep_dims", true, 0)],
            "STRIDED_SLICE": [("begin_mask", false, 0), ("end_mask", false, 0), ("ellipsis_mask", false, 0),
                              ("new_axis_mask", false, 0), ("shrink_axis_mask", false, 0), ("offset", true, 0)],
        ]
        return fields.mapValues { $0.map { (name: $0.0, byteSized: $0.1, defaultValue: $0.2) } }
    }()

    /// Parses `bytes` (the contents of `path`).
    /// - Throws: `TrackerError.malformedModel` or `.unsupportedOperator`, naming `path`.
    init(bytes: [UInt8], path: String) throws {
        let buffer = FlatBuffer(bytes: bytes, source: path)
        guard bytes.count >= 8, String(decoding: bytes[4..<8], as: UTF8.self) == "TFL3" else {
            throw buffer.fail("missing the TFL3 file identifier")
        }
        let model = try buffer.root()
        let codes: [String] = try model.tables(1).map { code in
            let builtin = max(try code.byte(0), try code.int(3))
            guard let name = TFLiteModel.builtinNames[builtin] else {
                throw TrackerError.unsupportedOperator(path: path, name: "builtin code \(builtin)")
            }
            return name
        }
        let buffers = try model.tables(4).map { try $0.bytes(0) }
        guard let graph = try model.tables(2).first else { throw buffer.fail("no subgraph") }
        tensors = try graph.tables(0).map { tensor in
            let index = try tensor.uint(2)
            guard index < buffers.count else { throw buffer.fail("tensor buffer \(index) of \(buffers.count)") }
            return TensorEntry(name: try tensor.string(3), shape: try tensor.ints(0), type: try tensor.byte(1), data: buffers[index])
        }
        inputs = try graph.ints(1)
        outputs = try graph.ints(2)
        let tensorCount = tensors.count
        operators = try graph.tables(3).map { op in
            let codeIndex = try op.uint(0)
            guard codeIndex < codes.count else { throw buffer.fail("operator code \(codeIndex) of \(codes.count)") }
            let name = codes[codeIndex]
            let inputs = try op.ints(1), outputs = try op.ints(2)
            guard (inputs + outputs).allSatisfy({ $0 >= -1 && $0 < tensorCount }), outputs.allSatisfy({ $0 >= 0 }) else {
                throw buffer.fail("\(name) refers to a tensor outside 0..<\(tensorCount)")
            }
            var options: [String: Int] = [:]
            let fields = TFLiteModel.optionFields[name] ?? []
            let table = try op.table(4)
            for (index, field) in fields.enumerated() {
                if let table {
                    options[field.name] = field.byteSized ? try table.byte(index, default: field.defaultValue)
                                                          : try table.int(index, default: field.defaultValue)
                } else {
                    options[field.name] = field.defaultValue
                }
            }
            return Operator(name: name, inputs: inputs, outputs: outputs, options: options)
        }
    }
}
