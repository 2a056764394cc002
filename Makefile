# ksight: thin wrapper over CMake. `make demo` and `make test` set up everything.
BUILD      ?= build
BUILD_ASAN ?= build-asan
CMAKE_FLAGS ?=

.PHONY: all deps build build-asan demo test unit lab lab-down fuzz bench clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/build.ninja:
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null

$(BUILD_ASAN)/build.ninja:
	@cmake -S . -B $(BUILD_ASAN) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKSIGHT_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null

build: deps $(BUILD)/build.ninja
	@ninja -C $(BUILD) --quiet

build-asan: deps $(BUILD_ASAN)/build.ninja
	@ninja -C $(BUILD_ASAN) --quiet

# The dashboard on librdkafka's in-process mock cluster: no Java, no network.
demo: build
	@$(BUILD)/ksight --demo

# Every test: unit (plain and ASan+UBSan), fuzz smoke, then the real lab
# cluster (ZooKeeper mode, then KRaft) for integration and end-to-end tests.
test: build build-asan
	@tests/run

unit: build
	@cd $(BUILD) && ctest --output-on-failure -L unit

# The workbook's cluster on loopback, and the dashboard on it.
lab: build
	@lab/lab.sh up
	@eval "$$(lab/lab.sh env)" && $(BUILD)/ksight -b "$$BOOTSTRAP" --zookeeper "$$ZOOKEEPER" --registry "$$REGISTRY"

lab-down:
	@lab/lab.sh down

fuzz: deps
	@scripts/fuzz 60

bench: build
	@bench/run

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) build-fuzz
