import M2FEngine

extension Module {
    /// Loads every tensor of a safetensors checkpoint, strictly by dotted key (see `loadParameters(_:source:)`).
    /// F16 and BF16 files are converted to Float32.
    public func loadParameters(contentsOf path: String) throws {
        let file = try SafeTensorsFile(path: path)
        try loadParameters(file.allTensors(), source: path)
    }

    /// Writes the parameters as a safetensors checkpoint (atomically: a temporary file, then a rename).
    public func saveParameters(to path: String, dtype: SafeTensorsDType = .float32, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(parameterTensors(), to: path, dtype: dtype, metadata: metadata)
    }
}
