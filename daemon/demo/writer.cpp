#include "daemon/demo/writer.h"

namespace spiegel::demo {

util::Expected<WriteCounts> write_demo(store::RecordTarget& db, const Generator& generator,
                                       const Progress& progress, std::size_t batch) {
    auto begun = db.begin_records();
    if (!begun) {
        return begun.error();
    }
    std::unique_ptr<store::RecordWriter>& writer = *begun;
    model::Arena arena(1 << 20);
    WriteCounts counts;
    for (model::Kind kind : {model::Kind::employer, model::Kind::vacancy, model::Kind::cv}) {
        const std::int64_t total = generator.count(kind);
        for (std::int64_t n = 1; n <= total; ++n) {
            const model::Record record = generator.make(kind, n, arena);
            if (auto st = writer->upsert(record); !st) {
                return st.error();
            }
            const bool batch_done = n % static_cast<std::int64_t>(batch) == 0 || n == total;
            if (batch_done) {
                arena.reset();
                if (progress) {
                    progress(kind, n, total);
                }
            }
        }
        (kind == model::Kind::cv        ? counts.cvs
         : kind == model::Kind::vacancy ? counts.vacancies
                                        : counts.employers) = total;
    }
    if (auto st = writer->commit(); !st) {
        return st.error();
    }
    return counts;
}

}  // namespace spiegel::demo
