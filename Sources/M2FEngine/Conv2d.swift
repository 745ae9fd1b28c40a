/// 2-D convolution over [B, Cin, H, W] (PyTorch's NCHW layout) by im2col + GEMM, with its backward.
extension Tensor {
    /// Convolves with `weight` [Cout, Cin, KH, KW] (+ `bias` [Cout]); output [B, Cout, Hout, Wout] with
    /// Hout = (H + 2·padding − KH) / stride + 1 and Wout likewise (zero padding on all four sides).
    ///
    /// The input is unfolded into columns [B, Cin·KH·KW, Hout·Wout] (row r = (c·KH + kh)·KW + kw), so the
    /// product with the weight viewed as [Cout, Cin·KH·KW] is one GEMM per batch item through BLAS. The
    /// backward folds W ᵀ·g back onto the input (col2im) and forms dW = Σ_b g[b]·columns[b]ᵀ.
    public func conv2d(weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0) -> Tensor {
        precondition(rank == 4 && weight.rank == 4, "conv2d: input \(shape) must be [B, Cin, H, W], weight \(weight.shape) [Cout, Cin, KH, KW]")
        let (batch, inChannels, height, width) = (shape[0], shape[1], shape[2], shape[3])
        let (outChannels, kernelHeight, kernelWidth) = (weight.shape[0], weight.shape[2], weight.shape[3])
        precondition(weight.shape[1] == inChannels, "conv2d: input has \(inChannels) channels, weight \(weight.shape) expects \(weight.shape[1])")
        precondition(stride >= 1 && padding >= 0, "conv2d: stride \(stride) must be ≥ 1 and padding \(padding) ≥ 0")
        let outHeight = (height + 2 * padding - kernelHeight) / stride + 1
        let outWidth = (width + 2 * padding - kernelWidth) / stride + 1
        precondition(outHeight > 0 && outWidth > 0, "conv2d: input \(height)×\(width) too small for kernel \(kernelHeight)×\(kernelWidth)")
        let rowsPerItem = inChannels * kernelHeight * kernelWidth
        let plane = outHeight * outWidth

        let source = contiguous()
        let geometry = Conv2dGeometry(channels: inChannels, height: height, width: width, kernelHeight: kernelHeight,
                                      kernelWidth: kernelWidth, outHeight: outHeight, outWidth: outWidth,
                                      stride: stride, padding: padding)
        let columns = Tensor.zeros([batch, rowsPerItem, plane])
        withExtendedLifetime(source) {
            geometry.unfold(source.basePointer, into: columns.basePointer, items: batch)
        }
        let w2 = weight.contiguous().detached().reshaped([outChannels, rowsPerItem])
        var out = w2.matmul(columns)  // [B, Cout, Hout·Wout] (the weight broadcasts over the batch)
        if let bias {
            precondition(bias.shape == [outChannels], "conv2d: bias \(bias.shape) for \(outChannels) channels")
            out = out + bias.detached().reshaped([outChannels, 1])
        }
        out = out.reshaped([batch, outChannels, outHeight, outWidth])
        var inputs = [source, weight]
        if let bias { inputs.append(bias) }
        let inputShape = shape
        return Tensor.record("conv2d", out, inputs: inputs) { g in
            let g3 = g.contiguous().reshaped([batch, outChannels, plane])
            var gradients: [Tensor?] = []
            if source.requiresGrad {
                let gradColumns = w2.transposed(0, 1).matmul(g3).contiguous()  // [B, Cin·KH·KW, Hout·Wout]
                let dx = Tensor.zeros(inputShape)
                withExtendedLifetime(gradColumns) {
                    geometry.fold(gradColumns.basePointer, into: dx.basePointer, items: batch)
                }
                gradients.append(dx)
            } else {
                gradients.append(nil)
            }
            gradients.append(weight.requiresGrad
                ? g3.matmul(columns.transposed(1, 2)).sum(axis: 0).reshaped(weight.shape) : nil)
            if bias != nil { gradients.append(g3.sum(axis: 2).sum(axis: 0)) }
            return gradients
        }
    }
}

/// Index arithmetic of one conv2d shape: unfolding an image into columns and folding columns back.
struct Conv2dGeometry {
    let channels, height, width, kernelHeight, kernelWidth, outHeight, outWidth, stride, padding: Int

    /// columns[b][(c·KH + kh)·KW + kw][oh·Wout + ow] = x[b][c][oh·s + kh − p][ow·s + kw − p] (0 outside).
    /// `columns` must be zero-filled.
    func unfold(_ x: UnsafeMutablePointer<Float>, into columns: UnsafeMutablePointer<Float>, items: Int) {
        let plane = outHeight * outWidth
        Parallel.forRanges(items * channels) { range in
            for bc in range {
                let image = x + bc * height * width
                for kh in 0..<kernelHeight {
                    for kw in 0..<kernelWidth {
                        let row = columns + ((bc * kernelHeight + kh) * kernelWidth + kw) * plane
                        for oh in 0..<outHeight {
                            let y = oh * stride + kh - padding
                            guard y >= 0 && y < height else { continue }
                            let source = image + y * width
                            let target = row + oh * outWidth
                            for ow in 0..<outWidth {
                                let xx = ow * stride + kw - padding
                                if xx >= 0 && xx < width { target[ow] = source[xx] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `unfold`: adds every column entry back onto the pixel it came from. `x` must be
    /// zero-filled. Each worker owns whole (b, c) planes, so no two write the same pixel.
    func fold(_ columns: UnsafeMutablePointer<Float>, into x: UnsafeMutablePointer<Float>, items: Int) {
        let plane = outHeight * outWidth
        Parallel.forRanges(items * channels) { range in
            for bc in range {
                let image = x + bc * height * width
                for kh in 0..<kernelHeight {
                    for kw in 0..<kernelWidth {
                        let row = columns + ((bc * kernelHeight + kh) * kernelWidth + kw) * plane
                        for oh in 0..<outHeight {
                            let y = oh * stride + kh - padding
                            guard y >= 0 && y < height else { continue }
                            let target = image + y * width
                            let source = row + oh * outWidth
                            for ow in 0..<outWidth {
                                let xx = ow * stride + kw - padding
                                if xx >= 0 && xx < width { target[xx] += source[ow] }
                            }
                        }
                    }
                }
            }
        }
    }
}
