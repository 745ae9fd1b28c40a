import Foundation

/// The geometry of one 2-D window op on channels-last (NHWC, batch 1) images: input and output sizes,
/// kernel, stride and the top/left padding (TensorFlow's SAME padding puts the odd pixel at the end).
package struct WindowGeometry: Sendable, Equatable {
    package var inputHeight: Int, inputWidth: Int
    package var outputHeight: Int, outputWidth: Int
    package var kernelHeight: Int, kernelWidth: Int
    package var strideY: Int, strideX: Int
    package var padTop: Int, padLeft: Int

    package init(inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int, kernelHeight: Int, kernelWidth: Int,
                 strideY: Int, strideX: Int, padTop: Int, padLeft: Int) {
        self.inputHeight = inputHeight; self.inputWidth = inputWidth
        self.outputHeight = outputHeight; self.outputWidth = outputWidth
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.strideY = strideY; self.strideX = strideX
        self.padTop = padTop; self.padLeft = padLeft
    }

    /// TensorFlow SAME (`same == true`: output = ⌈input / stride⌉, padding split with the extra pixel
    /// after) or VALID (no padding) geometry.
    package init(inputHeight: Int, inputWidth: Int, kernelHeight: Int, kernelWidth: Int, strideY: Int, strideX: Int, same: Bool) {
        func axis(_ size: Int, _ kernel: Int, _ stride: Int) -> (output: Int, padBefore: Int) {
            if same {
                let output = (size + stride - 1) / stride
                let total = max((output - 1) * stride + kernel - size, 0)
                return (output, total / 2)
            }
            return ((size - kernel) / stride + 1, 0)
        }
        let y = axis(inputHeight, kernelHeight, strideY), x = axis(inputWidth, kernelWidth, strideX)
        self.init(inputHeight: inputHeight, inputWidth: inputWidth, outputHeight: y.output, outputWidth: x.output,
                  kernelHeight: kernelHeight, kernelWidth: kernelWidth, strideY: strideY, strideX: strideX,
                  padTop: y.padBefore, padLeft: x.padBefore)
    }

    /// True for a 1×1, stride-1, unpadded window (a convolution is then one matrix product).
    package var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideY == 1 && strideX == 1 && padTop == 0 && padLeft == 0
            && inputHeight == outputHeight && inputWidth == outputWidth
    }
}

/// Inference helpers on raw NHWC buffers (batch 1, no autograd tape): im2col, max pooling and PReLU. The
/// convolutions themselves are `FusedImageKernels`. Used by the face tracker's networks.
package enum ImageKernels {
    /// Unfolds every output pixel's receptive field into one row of `KH·KW·C` values (zeros where the
    /// window hangs over the padding), rows split across cores.
    package static func im2col(_ input: UnsafePointer<Float>, channels: Int, geometry g: WindowGeometry,
                               into columns: UnsafeMutablePointer<Float>) {
        let depth = g.kernelHeight * g.kernelWidth * channels
        let rowLength = g.kernelWidth * channels
        let source = UncheckedSendable(input), target = UncheckedSendable(columns)
        Parallel.forRows(g.outputHeight, rowLength: g.outputWidth * depth) { outputRows in
            for oy in outputRows {
                for ox in 0..<g.outputWidth {
                    var row = target.value + (oy * g.outputWidth + ox) * depth
                    let x0 = ox * g.strideX - g.padLeft
                    for ky in 0..<g.kernelHeight {
                        let y = oy * g.strideY - g.padTop + ky
                        if y < 0 || y >= g.inputHeight {
                            row.update(repeating: 0, count: rowLength)
                        } else if x0 >= 0, x0 + g.kernelWidth <= g.inputWidth {
                            row.update(from: source.value + (y * g.inputWidth + x0) * channels, count: rowLength)
                        } else {
                            for kx in 0..<g.kernelWidth {
                                let x = x0 + kx
                                if x < 0 || x >= g.inputWidth {
                                    (row + kx * channels).update(repeating: 0, count: channels)
                                } else {
                                    (row + kx * channels).update(from: source.value + (y * g.inputWidth + x) * channels, count: channels)
                                }
                            }
                        }
                        row += rowLength
                    }
                }
            }
        }
    }

    /// Max pooling over each window (padding never wins: only pixels inside the image count).
    package static func maxPool(_ input: UnsafePointer<Float>, channels: Int, geometry g: WindowGeometry,
                                output: UnsafeMutablePointer<Float>) {
        let c = channels
        for oy in 0..<g.outputHeight {
            for ox in 0..<g.outputWidth {
                let out = output + (oy * g.outputWidth + ox) * c
                out.update(repeating: -.infinity, count: c)
                for ky in 0..<g.kernelHeight {
                    let y = oy * g.strideY - g.padTop + ky
                    guard y >= 0, y < g.inputHeight else { continue }
                    for kx in 0..<g.kernelWidth {
                        let x = ox * g.strideX - g.padLeft + kx
                        guard x >= 0, x < g.inputWidth else { continue }
                        let pixel = input + (y * g.inputWidth + x) * c
                        for channel in 0..<c { out[channel] = max(out[channel], pixel[channel]) }
                    }
                }
            }
        }
    }

    /// PReLU in place: `x < 0 ? alpha[c] · x : x` with one slope per channel (the last axis).
    package static func prelu(_ values: UnsafeMutablePointer<Float>, count: Int, alpha: UnsafePointer<Float>, channels: Int) {
        let data = UncheckedSendable(values), slopes = UncheckedSendable(alpha)
        Parallel.forRows(count / channels, rowLength: channels) { pixels in
            for pixel in pixels {
                let row = data.value + pixel * channels
                for c in 0..<channels { let x = row[c]; row[c] = x < 0 ? x * slopes.value[c] : x }
            }
        }
    }
}
