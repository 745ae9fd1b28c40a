import Foundation

/// Softmax and log-softmax over the last axis, fused row kernels with their gradients.
extension Tensor {
    /// exp(x − max) / Σ exp(x − max) along the last axis.
    public func softmax() -> Tensor {
        let source = contiguous()
        let n = shape[rank - 1]
        let rows = count / Swift.max(n, 1)
        let out = withExtendedLifetime(source) {
            let p = source.basePointer
            return Tensor(shape: shape) { o, _ in
                Parallel.forRows(rows, rowLength: n) { range in
                    for row in range { FastMath.softmaxRow(p + row * n, o + row * n, n) }
                }
            }
        }
        return Tensor.record("softmax", out, inputs: [source]) { g in
            // dx = y ⊙ (g − Σ g⊙y)
            let gc = g.contiguous()
            return [withExtendedLifetime(gc) {
                Tensor(shape: out.shape) { d, _ in
                    let py = out.basePointer
                    let pg = gc.basePointer
                    Parallel.forRows(rows, rowLength: n) { range in
                        for row in range {
                            let y = py + row * n, gr = pg + row * n, dr = d + row * n
                            let dot = FastMath.dot(gr, y, n)
                            for i in 0..<n { dr[i] = y[i] * (gr[i] - dot) }
                        }
                    }
                }
            }]
        }
    }

    /// x − max − log Σ exp(x − max) along the last axis.
    public func logSoftmax() -> Tensor {
        let source = contiguous()
        let n = shape[rank - 1]
        let rows = count / Swift.max(n, 1)
        let out = withExtendedLifetime(source) {
            let p = source.basePointer
            return Tensor(shape: shape) { o, _ in
                Parallel.forRows(rows, rowLength: n) { range in
                    for row in range {
                        let x = p + row * n, y = o + row * n
                        let m = FastMath.maximum(x, n)
                        var total: Float = 0
                        for i in 0..<n { total += FastMath.exp(x[i] - m) }
                        let shift = m + logf(total)
                        for i in 0..<n { y[i] = x[i] - shift }
                    }
                }
            }
        }
        return Tensor.record("logSoftmax", out, inputs: [source]) { g in
            // dx = g − softmax ⊙ Σ g
            let gc = g.contiguous()
            return [withExtendedLifetime(gc) {
                Tensor(shape: out.shape) { d, _ in
                    let py = out.basePointer
                    let pg = gc.basePointer
                    for row in 0..<rows {
                        let y = py + row * n, gr = pg + row * n, dr = d + row * n
                        var total: Float = 0
                        for i in 0..<n { total += gr[i] }
                        for i in 0..<n { dr[i] = gr[i] - expf(y[i]) * total }
                    }
                }
            }]
        }
    }
}
