import Testing
import M2FFace

@Suite struct ARKitTests {
    @Test func canonicalOrderIsAlphabeticalAndComplete() {
        #expect(ARKit.count == 52)
        #expect(ARKit.names.count == 52)
        #expect(ARKit.names == ARKit.names.sorted())
        #expect(ARKit.names.first == "browDownLeft")
        #expect(ARKit.names.last == "tongueOut")
        #expect(ARKitBlendshape.jawOpen.index == 24)
        #expect(ARKitBlendshape(index: 24) == .jawOpen)
    }

    @Test func liveLinkOrderIsAPermutation() {
        #expect(ARKit.liveLinkOrder.count == 52)
        #expect(Set(ARKit.liveLinkOrder) == Set(ARKit.all))
        #expect(ARKit.liveLinkOrder[0] == .eyeBlinkLeft)
        #expect(ARKit.liveLinkOrder[17] == .jawOpen)
        #expect(ARKit.liveLinkOrder[51] == .tongueOut)
        #expect(ARKitBlendshape.mouthSmileLeft.liveLinkName == "MouthSmileLeft")
        #expect(ARKit.index(caseInsensitive: "JAWOPEN") == 24)
    }

    @Test func mirrorsAndSides() {
        #expect(ARKitBlendshape.eyeBlinkLeft.mirrored == .eyeBlinkRight)
        #expect(ARKitBlendshape.jawRight.mirrored == .jawLeft)
        #expect(ARKitBlendshape.jawOpen.mirrored == .jawOpen)
        #expect(ARKitBlendshape.browDownLeft.side == 1)
        #expect(ARKitBlendshape.browDownRight.side == -1)
        for shape in ARKit.all { #expect(shape.mirrored.mirrored == shape) }
    }
}
