# Popek's front door. `make` builds the release binary; `make test` runs the test suite as CI does.
SWIFT ?= swift

.PHONY: all build test ci fuzz fuzz-interpreter bench-decoder bench-interpreter bench-kvm linux-guest test-linux generate clean

all: build

build:
	$(SWIFT) build -c release
	@echo "built: $$($(SWIFT) build -c release --show-bin-path)/popek"

test:
	$(SWIFT) test -c release

ci:
	bash .ci/run

# Fetch Debian's cloud kernel and busybox-static with apt; build the initramfs (guests/linux, not in git).
linux-guest:
	bash Scripts/linux-guest.sh

# Debian's stock kernel to a busybox shell (fetched with apt by Scripts/linux-guest.sh), checked by
# Tests/integration/linux-boot.py: a scripted boot and an interactive one on a pseudo-terminal.
test-linux: build linux-guest
	python3 Tests/integration/linux-boot.py --popek $$($(SWIFT) build -c release --show-bin-path)/popek

# Differential fuzzing of the decoder against iced-x86 (1,000,000 cases per mode).
fuzz: build
	for m in 16 32 64; do python3 Scripts/fuzz-decoder.py --mode $$m --cases 1000000 --seed 1 || exit 1; done

# The interpreter against Unicorn (100,000 sequences per mode), then 1,000,000 random byte programs.
fuzz-interpreter: build
	for m in 32 64; do python3 Scripts/diff-unicorn.py --mode $$m --cases 100000 --seed 1 || exit 1; done
	$$($(SWIFT) build -c release --show-bin-path)/popek fuzz robustness --cases 333334 --seed 1

bench-decoder:
	bash Scripts/bench-decoder.sh

# KVM engine: CPL3 MIPS on both engines, VM-exit round trip beside raw ioctls in C (needs /dev/kvm).
bench-kvm:
	bash Scripts/bench-kvm.sh

# Interpreter throughput: guest MIPS of an ALU, a memory and a call/branch loop (Documentation/InterpreterPerformance.md).
bench-interpreter:
	bash Scripts/bench-interpreter.sh

# Regenerate generated sources from the tables.
generate:
	python3 Scripts/gen-registers.py
	python3 Scripts/gen-mnemonics.py

clean:
	rm -rf .build
