// etcd's JSON gateway answers, as a member, a proxy in between or a damaged cluster may send them:
// a range, a transaction's outcome (of the shape commits send: read, write, read; a read on
// failure), an error, and the lines of a watch stream.
#include "fuzz_input.h"
#include "store/etcd_answer.h"
#include "util/bounded_json.h"

using namespace launchkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto text = fuzz::as_text(data, size);
    (void)store::read_watch_stream(text);
    auto answer = util::parse_json(text);
    if (!answer) return 0;
    (void)store::error_message(*answer);
    (void)store::read_range_answer(*answer);
    store::EtcdTransaction transaction;
    store::EtcdOperation read;
    read.kind = store::EtcdOperation::Kind::range;
    read.key = "a/b";
    store::EtcdOperation write;
    write.kind = store::EtcdOperation::Kind::put;
    write.key = "a/b";
    transaction.success = {read, write, read};
    transaction.failure = {read};
    (void)store::read_transaction_answer(*answer, transaction);
    return 0;
}
