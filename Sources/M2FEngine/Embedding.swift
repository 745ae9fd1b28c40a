/// Embedding lookup: rows of a [V, C] table picked by integer ids.
extension Tensor {
    /// `table[ids]` with output shape `idsShape + [C]`; gradients scatter-add into the table.
    public static func embedding(_ table: Tensor, ids: [Int], idsShape: [Int]) -> Tensor {
        precondition(table.rank == 2, "embedding table must be [V, C], got \(table.shape)")
        precondition(ids.count == idsShape.reduce(1, *), "embedding: \(ids.count) ids for shape \(idsShape)")
        let width = table.shape[1]
        return table.gathered(axis: 0, indices: ids).reshaped(idsShape + [width])
    }
}
