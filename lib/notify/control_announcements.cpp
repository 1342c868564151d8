#include "notify/control_announcements.h"

#include <fmt/format.h>

#include "notify/notification_target.h"
#include "store/open_store.h"
#include "util/strings.h"
#include "util/time.h"

namespace launchkit::notify {
namespace {

std::string incidents_key(const std::string& control) {
    return "notifications/launch/" + control;
}

}  // namespace

std::vector<Delivery> announce_control(Context& context, store::Store& store, NoticeKind kind,
                                       const std::string& control, const std::string& reason) {
    std::vector<Delivery> deliveries;
    std::vector<const nlohmann::json*> targets;
    for (const auto& target : context.config.notifications)
        if (target_hears(target, kind)) targets.push_back(&target);
    if (targets.empty()) return deliveries;
    // Incidents the pause opened, by target: read even when it fails, the resume then opens none.
    auto remembered = store.get(incidents_key(control));
    nlohmann::json incidents = nlohmann::json::object();
    if (remembered && *remembered && (*remembered)->value.is_object())
        incidents = (*remembered)->value;
    auto notice = describe_control_moment(kind, control, context.actor, reason);
    notice.time = util::format_rfc3339(context.now());
    DeliveryPolicy policy;
    policy.text_output = context.err;
    policy.sleep = context.sleep;
    auto kept = incidents;
    for (const auto* target : targets) {
        auto name = describe_target(*target);
        notice.incident_id = incidents.value(name, "");
        auto delivery = deliver(*target, notice, policy);
        if (delivery.skipped) continue;
        if (!delivery.delivered)
            *context.err << fmt::format("warning: {} notification not delivered to {}: {}\n",
                                        to_string(kind), delivery.target, delivery.error);
        else if (kind == NoticeKind::control_paused && !delivery.reference.empty())
            kept[name] = delivery.reference;
        else if (kind == NoticeKind::control_resumed)
            kept.erase(name);
        deliveries.push_back(std::move(delivery));
    }
    if (kept != incidents) {
        store::Mutation mutation;
        mutation.key = incidents_key(control);
        if (kept.empty())
            mutation.kind = store::MutationKind::remove;
        else
            mutation.value = kept;
        auto note = store::change_note(context,
                                       fmt::format("{} incidents of {}", to_string(kind), control));
        if (auto committed = store.commit({mutation}, note); !committed)
            *context.err << fmt::format(
                "warning: could not remember the status page incident of "
                "{}: {}\n",
                control, util::printable(committed.error().message));
    }
    return deliveries;
}

}  // namespace launchkit::notify
