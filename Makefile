# The two set-up commands of the README: `make demo` (the main job) and `make test`.
# Each installs what it needs first (scripts/bootstrap.sh is quiet and quick when all is there).
SWIFT_FLAGS ?= -c release
M2F = .build/release/m2f

.PHONY: demo test build bootstrap bootstrap-test models bench bench-compare fixtures clean dataset

bootstrap:
	@bash scripts/bootstrap.sh

# Test-only packages too (Blender for the glTF import test).
bootstrap-test:
	@bash scripts/bootstrap.sh --test

build: bootstrap
	swift build $(SWIFT_FLAGS) --product m2f

# The main job: animate the bundled clip (Examples/hello.wav, flite TTS) into out/hello.{csv,json,glb,mp4}.
# Needs the pretrained encoders (models) and the committed Models/media2face + Models/gnpfa.
demo: build models
	$(M2F) animate Examples/hello.wav --text "friendly and cheerful" --format csv,json,glb,mp4 -o out/hello

# Pretrained encoders into the model cache (M2F_MODELS, default ~/.cache/m2f); quick when installed and verified.
models: build
	$(M2F) models fetch

test: bootstrap-test models
	swift test $(SWIFT_FLAGS)

bench: build
	$(M2F) bench engine

# Swift, plain C + OpenBLAS and PyTorch (2 threads) side by side; needs `pip install torch`.
bench-compare: build
	@bash bench/compare.sh

# The default M2F-D training set (size and why: docs/DATASET.md), then its cached features and stats.
DATASET_DIR ?= data/m2fd-default
DATASET_HOURS ?= 3
dataset: build models
	$(M2F) dataset build --synthetic --hours $(DATASET_HOURS) --seed 1 -o $(DATASET_DIR)
	$(M2F) dataset featurize $(DATASET_DIR)
	$(M2F) dataset stats $(DATASET_DIR)

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

clean:
	rm -rf .build
