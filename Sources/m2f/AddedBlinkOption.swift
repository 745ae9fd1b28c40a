import ArgumentParser
import Media2Face

/// `--no-added-blinks`, shared by `m2f animate`, `m2f stream` and the eval commands.
struct AddedBlinkOption: ParsableArguments {
    @Flag(help: "Keep only the blinks the model makes (by default blinks are added where the eyes stay open longer than people's do).")
    var noAddedBlinks = false

    func applied(to options: AnimationOptions) -> AnimationOptions {
        var options = options
        options.addsBlinks = !noAddedBlinks
        return options
    }
}
