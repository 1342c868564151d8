// The store's files as a disk or a person may have left them: state.json and audit.jsonl
// (separated by 0x1E in the input), read as every command reads them and verified as
// `feature-flags audit --verify` does. A damaged store is an error, never a crash.
#include "fuzz_input.h"
#include "store/file_store.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [state, audit] = fuzz::split_once(fuzz::as_text(data, size), "\x1e");
    auto directory = fuzz::scratch_directory() / "store";
    fuzz::write_file(directory / "state.json", state);
    fuzz::write_file(directory / "audit.jsonl", audit);
    store::FileStore store(directory);
    (void)store.list("");
    (void)store.audit("");
    (void)store.verify_audit();
    return 0;
}
