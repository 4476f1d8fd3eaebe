# Popek's front door. `make` builds the release binary; `make test` runs the test suite as CI does.
SWIFT ?= swift

.PHONY: all build test ci fuzz bench-decoder generate clean

all: build

build:
	$(SWIFT) build -c release
	@echo "built: $$($(SWIFT) build -c release --show-bin-path)/popek"

test:
	$(SWIFT) test -c release

ci:
	bash .ci/run

# Differential fuzzing of the decoder against iced-x86 (1,000,000 cases per mode).
fuzz: build
	for m in 16 32 64; do python3 Scripts/fuzz-decoder.py --mode $$m --cases 1000000 --seed 1 || exit 1; done

bench-decoder:
	bash Scripts/bench-decoder.sh

# Regenerate generated sources from the tables.
generate:
	python3 Scripts/gen-registers.py
	python3 Scripts/gen-mnemonics.py

clean:
	rm -rf .build
