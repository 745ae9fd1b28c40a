import Dispatch
import Foundation
import M2FFace
import Media2Face
import Synchronization
import Testing

/// The façade shared between tasks: cancellation stops a call within one DDIM step, and concurrent
/// calls on one pipeline give the same bytes as the same calls one after another. Run under the
/// thread sanitizer with `swift test --sanitize=thread --filter PipelineConcurrencyTests`.
@Suite(.serialized)
struct PipelineConcurrencyTests {
    /// The DDIM steps reported by `.generating` progress, in order.
    final class StepLog: Sendable {
        private let steps = Mutex<[Int]>([])
        func record(_ progress: PipelineProgress) {
            if progress.stage == .generating { steps.withLock { $0.append(progress.completed) } }
        }
        var all: [Int] { steps.withLock { $0 } }
    }

    /// Cancelled from inside step 3's progress report, the call throws `CancellationError` without
    /// running step 4 (the check follows every step).
    @Test func cancellationDuringAStepStopsAfterIt() async throws {
        let pipeline = try await LoadedPipelines.tiny.value
        let log = StepLog()
        let handle = Mutex<Task<AnimationResult, any Error>?>(nil)
        let task = Task {
            try await pipeline.animate(AnimationRequest(audioPath: PipelineFixtures.example, options: AnimationOptions(steps: 100))) { progress in
                log.record(progress)
                if progress.stage == .generating && progress.completed == 3 { handle.withLock { $0?.cancel() } }
            }
        }
        handle.withLock { $0 = task }
        // The task may reach step 3 before the handle is stored: then it runs to the end, which the
        // expectation below reports (it does not happen with 100 steps of a 6.9 s clip).
        let outcome = await task.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(log.all.last == 3, "steps reported: \(log.all)")
    }

    /// A long animation (50 steps of the shipped model) cancelled from outside after a timeout: at most
    /// the step in flight completes, then the call throws `CancellationError`.
    @Test(.enabled(if: PipelineFixtures.hasTrainedModel, "needs the trained model in Models/media2face"))
    func cancellationAfterATimeoutStopsWithinOneStep() async throws {
        let pipeline = try await LoadedPipelines.trained.value
        let log = StepLog()
        let clock = ContinuousClock()
        let task = Task {
            try await pipeline.animate(AnimationRequest(audioPath: PipelineFixtures.example, options: AnimationOptions(steps: 50)), progress: log.record)
        }
        // The timer runs on a thread of its own: the cooperative pool may be busy with other suites' models.
        let (cancelled, stepsAtCancel) = await withCheckedContinuation { (done: CheckedContinuation<(ContinuousClock.Instant, Int), Never>) in
            DispatchQueue.global().async {
                while log.all.count < 2 { usleep(2_000) }
                task.cancel()
                done.resume(returning: (clock.now, log.all.last ?? 0))
            }
        }
        let outcome = await task.result
        let stopped = clock.now - cancelled
        #expect(throws: CancellationError.self) { try outcome.get() }
        let steps = log.all
        #expect((steps.last ?? 0) <= stepsAtCancel + 1, "cancelled after step \(stepsAtCancel), steps reported: \(steps)")
        #expect((steps.last ?? 0) < 50)
        print("cancelled after step \(stepsAtCancel) of 50; the call returned \(stopped) later (the wait includes rescheduling), after step \(steps.last ?? 0)")
    }

    /// A task cancelled before it starts does no work.
    @Test func cancelledBeforeStartingThrowsAtOnce() async throws {
        let pipeline = try await LoadedPipelines.tiny.value
        let log = StepLog()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await pipeline.animate(AnimationRequest(audioPath: PipelineFixtures.example), progress: log.record)
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(log.all.isEmpty)
    }

    /// Two requests on one shared pipeline from two tasks at once: the CSV and JSON bytes equal those of
    /// the same two requests run one after the other.
    @Test func concurrentCallsGiveTheSameBytesAsSequentialOnes() async throws {
        let pipeline = try await LoadedPipelines.tiny.value
        let requests = [
            AnimationRequest(audioPath: PipelineFixtures.example, style: .emotion(.happy, intensity: 0.8), options: AnimationOptions(steps: 6, seed: 1)),
            AnimationRequest(audioPath: PipelineFixtures.example, options: AnimationOptions(steps: 6, seed: 2, headPose: false)),
        ]
        func bytes(_ animation: FaceAnimation, _ name: String) throws -> [Data] {
            let prefix = PipelineFixtures.folder("concurrency-\(name)").appendingPathComponent("out").path
            return try AnimationExporter().write(animation, formats: [.csv, .json], prefix: prefix, audioPath: nil)
                .map { try Data(contentsOf: URL(fileURLWithPath: $0.path)) }
        }
        var sequential: [[Data]] = []
        for (index, request) in requests.enumerated() {
            sequential.append(try bytes(try await pipeline.animate(request).animation, "sequential-\(index)"))
        }
        async let first = pipeline.animate(requests[0])
        async let second = pipeline.animate(requests[1])
        let concurrent = [try bytes(try await first.animation, "concurrent-0"), try bytes(try await second.animation, "concurrent-1")]
        #expect(concurrent == sequential)
        #expect(sequential[0] != sequential[1])
    }
}
