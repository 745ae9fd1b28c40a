# The two set-up commands of the README: `make demo` (the main job) and `make test`.
# Each installs what it needs first (scripts/bootstrap.sh is quiet and quick when all is there).
SWIFT_FLAGS ?= -c release
M2F = .build/release/m2f

.PHONY: demo test example fuzz fuzz-ci build build-espeak bootstrap bootstrap-test models bench bench-compare bench-serve fixtures clean dataset train human-speech human-speech-data singing singing-high singing-data

bootstrap:
	@bash scripts/bootstrap.sh

# Test-only packages too (Blender for the glTF import test).
bootstrap-test:
	@bash scripts/bootstrap.sh --test

build: bootstrap
	swift build $(SWIFT_FLAGS) --product m2f

# The eSpeak NG helper (GPL-3, a separate program) that dataset building speaks to.
build-espeak: bootstrap
	swift build $(SWIFT_FLAGS) --product m2f-espeak

# The main job: animate the bundled clip (Examples/hello.wav, flite TTS) into out/hello.{csv,json,glb,mp4}.
# Needs the pretrained encoders (models) and the committed Models/media2face + Models/gnpfa.
demo: build models
	$(M2F) animate Examples/hello.wav --text "friendly and cheerful" --format csv,json,glb,mp4 -o out/hello

# Pretrained encoders into the model cache (M2F_MODELS, default ~/.cache/m2f); quick when installed and verified.
models: build
	$(M2F) models fetch

test: bootstrap-test models build-espeak human-speech-data
	swift test $(SWIFT_FLAGS)
	$(MAKE) install-check
	$(MAKE) example
	$(MAKE) fuzz-ci

# Installs m2f so it runs from any folder: PREFIX/bin/m2f and PREFIX/share/m2f (Models, the encoders from
# the model cache, the Blender add-on, the demo clip); `m2f doctor` says where it finds each.
.PHONY: install install-check
PREFIX ?= /usr/local
install: build models
	bash scripts/install.sh $(PREFIX) $(M2F)

# make test: an install into a temporary PREFIX animates from / with an empty HOME (scripts/check_install.sh).
install-check: build models
	bash scripts/check_install.sh

# The example package (Examples/AnimateHello, its own package depending on this one by path): the public
# API as a user's package sees it, built and run on the bundled clip from the repository root; its CSV
# must equal `m2f animate`'s for the same request, byte for byte.
example: build models
	swift run $(SWIFT_FLAGS) --package-path Examples/AnimateHello AnimateHello Examples/hello.wav out/hello-example
	$(M2F) animate Examples/hello.wav --text "friendly and cheerful" --format csv --quiet -o out/hello-cli
	cmp out/hello-example.csv out/hello-cli.csv

# libFuzzer on every file parser m2f reads (docs/HARDENING.md): FUZZ_SECONDS per target, seeds in
# Fuzz/corpus, an instrumented debug build in .build-fuzz. `make fuzz FUZZ_SECONDS=600` for a long run.
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

# The bounded run of `make test`: 10 s per target (the committed corpus also replays in `swift test`).
FUZZ_CI_SECONDS ?= 10
fuzz-ci:
	FUZZ_SECONDS=$(FUZZ_CI_SECONDS) FUZZ_SKIP_UNSUPPORTED=1 bash scripts/fuzz.sh

bench: build
	$(M2F) bench engine

# `m2f serve` under a bounded load on loopback: real-time streams held at p95 <= 250 ms, uploads per minute,
# /healthz latency during uploads with and without the engine's own threads (JSON lines; bench/README.md).
bench-serve: build models
	python3 bench/serve_load.py --m2f $(M2F)

# Swift, plain C + OpenBLAS and PyTorch (2 threads) side by side; needs `pip install torch`.
bench-compare: build
	@bash bench/compare.sh

# The shipped model on recorded human speech (five LibriVox clips with phone alignments, fetched once).
human-speech: bootstrap-test build models human-speech-data
	$(M2F) eval human-speech --dir data/human-speech

human-speech-data:
	@bash scripts/fetch_human_speech.sh data/human-speech

# Sung phrases with known notes, vibrato, loudness and breaths: the LibriVox clips re-sung with the WORLD
# vocoder (scripts/singing/make_singing.sh); `make singing` measures the default and real-face models on
# them, each with singing mode (--singing) off and on (docs/ARCHITECTURE.md, "Singing"); `make
# singing-high` the same on the phrases sung an octave higher with formants 1.2x up (data/singing-high).
singing: build models singing-data
	$(M2F) eval singing --dir data/singing --compare Models/media2face-synthetic

singing-high: build models singing-data
	$(M2F) eval singing --dir data/singing-high --compare Models/media2face-synthetic

singing-data: human-speech-data
	@bash scripts/bootstrap.sh --singing
	@bash scripts/singing/make_singing.sh data/human-speech data/singing
	@bash scripts/singing/make_singing.sh data/human-speech data/singing-high high

# The default M2F-D training set (size and why: docs/DATASET.md), then its cached features and stats.
DATASET_DIR ?= data/m2fd-default
DATASET_HOURS ?= 3
dataset: build build-espeak models
	$(M2F) dataset build --synthetic --hours $(DATASET_HOURS) --seed 1 -o $(DATASET_DIR)
	$(M2F) dataset featurize $(DATASET_DIR)
	$(M2F) dataset stats $(DATASET_DIR)

# Reproduces the shipped models from scratch into TRAIN_OUT (default .build/train; TRAIN_OUT=Models
# replaces the committed ones: each step passes --overwrite, without which m2f train refuses a folder
# that holds a model): the default dataset, the three GNPFA stages (the VAE on the dataset's
# frames plus sampled ones), the synthetic-only diffusion model (Models/media2face-synthetic) and its
# regression baseline, with the flags each Models/*/README.md records. The default model
# (Models/media2face) is that model fine-tuned on real video: scripts/realface/finetune_realface.sh
# (needs ../shared/realface-dev; OUT=$(TRAIN_OUT)/media2face). Measured stage by stage on the 2-core dev VM (2026-12-01, partly side by
# side): dataset + features ≈ 5 min, VAE 3 min, geometry 6–10 min, image 3 min renders + 6 min,
# diffusion 1.23 h, regressor 0.17 h: ≈ 1.9 h in all, one stage after the other.
TRAIN_OUT ?= .build/train
DIFFUSION_STEPS ?= 14000
train: dataset
	$(M2F) train gnpfa --stage vae --data $(DATASET_DIR) --vae-steps 8000 --latent-size 16 --kl-weight 5e-5 --lip-weight 0.3 \
	    --closure-weight 0.002 --seed 1 --overwrite -o $(TRAIN_OUT)/gnpfa
	$(M2F) train gnpfa --stage geometry --geometry-steps 10000 --geometry-identities 24 --seed 1 --overwrite -o $(TRAIN_OUT)/gnpfa
	$(M2F) train diffusion --data $(DATASET_DIR) --gnpfa $(TRAIN_OUT)/gnpfa --overwrite -o $(TRAIN_OUT)/media2face-synthetic \
	    --steps $(DIFFUSION_STEPS) --batch-size 16 --learning-rate 8e-4 --checkpoint-every 500 --seed 1
	$(M2F) train diffusion --regression --data $(DATASET_DIR) --gnpfa $(TRAIN_OUT)/gnpfa --overwrite -o $(TRAIN_OUT)/media2face-regressor \
	    --steps 1500 --batch-size 16 --learning-rate 8e-4 --checkpoint-every 250 --seed 2

# Regenerate the golden fixtures from PyTorch (development only; CI uses the committed ones).
fixtures:
	python3 scripts/fixtures/make_engine_fixtures.py
	python3 scripts/fixtures/make_neural_fixtures.py
	python3 scripts/fixtures/make_audio_fixtures.py
	python3 scripts/fixtures/make_conv2d_fixtures.py
	python3 scripts/fixtures/make_diffusion_fixtures.py
	python3 scripts/fixtures/make_eval_fixtures.py
	python3 scripts/fixtures/make_speech_fixtures.py
	python3 scripts/fixtures/make_teacher_fixtures.py
	python3 scripts/fixtures/make_text_fixtures.py
	python3 scripts/fixtures/make_whisper_fixtures.py
	python3 scripts/fixtures/make_tracker_fixtures.py

clean:
	rm -rf .build
