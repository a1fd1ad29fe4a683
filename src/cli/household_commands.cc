#include "cli/household_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "cli/database_option.h"
#include "cli/text_table.h"
#include "registry/editing.h"
#include "registry/registry_json.h"
#include "registry/registry_service.h"
#include "registry/vocabulary.h"

namespace fupin::cli {
namespace {

using nlohmann::json;

struct Common {
  bool json = false;
};

int Fail(const Common& c, const Error& e) { return ReportErrorAs(c.json, e); }

// The command line acts as the administrator over the whole registry, and sees personal data
// masked like any reader without personal_data.view_sensitive: reveals are the web UI's and
// the API's, one value at a time and audited.
registry::Viewer CliViewer() { return {CliActor(), {""}, {}, {}, {}}; }

registry::RegistryService ServiceOf(storage::Database& db) {
  static const SystemClock clock;
  return registry::RegistryService(db.Registry(), db.Audit(), db.Regions(), clock);
}

std::string Money(double v) { return fmt::format("{:.2f}", v); }

std::string Label(const registry::Vocabulary& v, const std::string& code) {
  if (code.empty()) return "-";
  if (!ChineseOutput()) return code;
  const auto zh = v.Zh(code);
  return zh.empty() ? code : std::string(zh);
}

// The stored household with this number (户编号), unmasked.
Result<registry::HouseholdRecord> FindHousehold(storage::Database& db, const std::string& key) {
  const std::string numbers[] = {key};
  auto found = db.Registry().FindHouseholdsByNumber(numbers);
  if (!found) return std::unexpected(found.error());
  if (!found->empty()) return std::move(found->front());
  return NotFound(fmt::format("no household numbered {}", key));
}

// The id of the household with this number.
Result<int64_t> HouseholdId(storage::Database& db, const std::string& key) {
  auto found = FindHousehold(db, key);
  if (!found) return std::unexpected(found.error());
  return found->household.id;
}

// A request body without `version` is made from the household's current version.
Status WithCurrentVersion(registry::RegistryService& service, int64_t id, json& body) {
  if (body.contains("version")) return {};
  auto current = service.Get(id, CliViewer());
  if (!current) return std::unexpected(current.error());
  body["version"] = current->record.household.version;
  return {};
}

void PrintView(const registry::HouseholdView& view, const std::optional<Date>& as_of) {
  const auto& r = view.record;
  const auto& h = r.household;
  fmt::print("{} {} — {} {}, {} {}{}\n", Localized("household", "户"), h.number,
             Localized("village", "村"), h.region_code, Localized("status", "状态"),
             Label(registry::Statuses(), h.status),
             as_of ? fmt::format(" ({} {})", Localized("as of", "截至"), as_of->ToString())
                   : std::string());
  fmt::print("{}: {}  {}: {}  {}: {}  {}: {}\n", Localized("attribute", "户属性"),
             Label(registry::Attributes(), h.attribute), Localized("main cause", "主要致贫原因"),
             Label(registry::Causes(), h.main_cause), Localized("phone", "联系电话"),
             h.phone.empty() ? "-" : h.phone, Localized("bank account", "银行账号"),
             h.bank_account.empty() ? "-" : h.bank_account);
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : r.members) {
    rows.push_back({std::to_string(m.id), m.name, m.id_number.empty() ? "-" : m.id_number,
                    Label(registry::Relations(), m.relation), Label(registry::Sexes(), m.sex),
                    m.birth_date ? m.birth_date->ToString() : "-",
                    m.health.empty() ? "-" : m.health,
                    Label(registry::LabourCapacities(), m.labour),
                    m.left_on ? fmt::format("{} {}", m.left_on->ToString(),
                                            Label(registry::MemberEventKinds(), m.left_reason))
                              : ""});
  }
  fmt::print("\n");
  PrintTable(
      {"id", Localized("name", "姓名"), Localized("ID number", "身份证号"),
       Localized("relation", "与户主关系"), Localized("sex", "性别"), Localized("born", "出生日期"),
       Localized("health", "健康状况"), Localized("labour", "劳动能力"), Localized("left", "离户")},
      rows);
  if (!r.incomes.empty()) {
    rows.clear();
    for (size_t i = 0; i < r.incomes.size(); ++i) {
      const auto& in = r.incomes[i];
      std::string per_capita = "-";
      if (i < view.per_capita.size() && view.per_capita[i].has_value()) {
        per_capita = Money(view.per_capita[i].value());
      }
      rows.push_back({std::to_string(in.year), Money(in.wages), Money(in.business),
                      Money(in.property), Money(in.transfer), Money(in.costs), Money(in.Net()),
                      per_capita});
    }
    fmt::print("\n");
    PrintTable({Localized("year", "年度"), Localized("wages", "工资性"),
                Localized("business", "生产经营性"), Localized("property", "财产性"),
                Localized("transfer", "转移性"), Localized("costs", "生产经营支出"),
                Localized("net", "纯收入"), Localized("per capita", "人均纯收入")},
               rows);
  }
  rows.clear();
  for (const auto& e : r.events) {
    rows.push_back({e.on.ToString(), Label(registry::Statuses(), e.status),
                    e.year ? std::to_string(*e.year) : "", e.reason});
  }
  fmt::print("\n");
  PrintTable({Localized("on", "日期"), Localized("status", "状态"),
              Localized("year lifted out", "脱贫年度"), Localized("reason", "原因")},
             rows);
}

}  // namespace

void AddHouseholdCommands(CLI::App& root, CommandContext& ctx) {
  auto* cmd = root.add_subcommand(
      "household",
      "The household registry (建档立卡) from the command line: list households, show one (as "
      "of a date), register one, edit its fields, record a status event or a membership event "
      "(birth, death, marriage, move, split, merge, ID correction). Personal data is masked; "
      "changes are validated and audited like the API's. See docs/registry.md.");
  cmd->require_subcommand(1);
  auto db = std::make_shared<DatabaseOption>(*cmd);
  {
    auto* sub = cmd->add_subcommand("list", "A page of households, filtered");
    struct Options {
      Common c;
      std::string region, status, cause, text, as_of;
      int64_t page = 1;
      int64_t page_size = 50;
    };
    auto o = std::make_shared<Options>();
    sub->add_option("--region", o->region, "a region code: only its subtree");
    sub->add_option("--status", o->status, "a status (code or Chinese label)");
    sub->add_option("--as-of", o->as_of,
                    "a date YYYY-MM-DD: households registered by then, with (and filtered by) "
                    "their status then");
    sub->add_option("--cause", o->cause, "a main cause (code or Chinese label)");
    sub->add_option("--text", o->text, "a household-number prefix, head's name or ID number");
    sub->add_option("--page", o->page, "page, from 1")->check(CLI::PositiveNumber);
    sub->add_option("--page-size", o->page_size, "households per page (1–500, default 50)")
        ->check(CLI::Range(1, 500));
    sub->add_flag("--json", o->c.json, "print JSON (the shape of GET /api/v1/households)");
    sub->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o]() -> int {
        registry::HouseholdQuery q;
        q.within = o->region;
        q.text = o->text;
        q.offset = (o->page - 1) * o->page_size;
        q.limit = o->page_size;
        std::vector<ErrorDetail> problems;
        auto vocabulary = [&](const registry::Vocabulary& v, const std::string& text,
                              const char* field, std::string& out) {
          if (text.empty()) return;
          if (auto code = v.Parse(text)) {
            out = std::string(*code);
          } else {
            problems.push_back(ErrorDetail{0, field, text, "one of: " + v.Allowed()});
          }
        };
        vocabulary(registry::Statuses(), o->status, "--status", q.status);
        if (!o->as_of.empty()) {
          if (auto day = ParseDate(o->as_of)) {
            q.as_of = *day;
          } else {
            problems.push_back(ErrorDetail{0, "--as-of", o->as_of, "is not a date YYYY-MM-DD"});
          }
        }
        vocabulary(registry::Causes(), o->cause, "--cause", q.cause);
        if (!problems.empty()) {
          return Fail(o->c,
                      InvalidArgument("the filter is not valid", std::move(problems)).error());
        }
        auto opened = db->Open(ctx, /*migrate=*/true, /*one_query=*/true);
        if (!opened) return Fail(o->c, opened.error());
        auto service = ServiceOf(**opened);
        auto page = service.List(q, CliViewer());
        if (!page) return Fail(o->c, page.error());
        if (o->c.json) {
          json items = json::array();
          for (const auto& s : page->items) items.push_back(registry::HouseholdSummaryJson(s));
          fmt::print("{}\n", json{{"items", items},
                                  {"total", page->total},
                                  {"page", o->page},
                                  {"page_size", o->page_size}}
                                 .dump(2));
          return kExitOk;
        }
        std::vector<std::vector<std::string>> rows;
        for (const auto& s : page->items) {
          const auto& h = s.household;
          rows.push_back({h.number, h.region_code, s.head_name,
                          s.head_id_number.empty() ? "-" : s.head_id_number,
                          Label(registry::Attributes(), h.attribute),
                          Label(registry::Statuses(), q.as_of ? s.status_on : h.status),
                          std::to_string(s.members),
                          s.latest_income ? std::to_string(s.latest_income->year) : "-"});
        }
        PrintTable({Localized("number", "户编号"), Localized("village", "村"),
                    Localized("head", "户主"), Localized("ID number", "身份证号"),
                    Localized("attribute", "户属性"), Localized("status", "状态"),
                    Localized("members", "人口"), Localized("income year", "收入年度")},
                   rows);
        fmt::print("{} {} / {}\n", Localized("households shown:", "显示户数："), page->items.size(),
                   page->total);
        return kExitOk;
      };
    });
  }
  {
    auto* sub = cmd->add_subcommand(
        "show", "One household: members, incomes, status history (as of a date with --as-of)");
    struct Options {
      Common c;
      std::string number;
      std::string as_of;
    };
    auto o = std::make_shared<Options>();
    sub->add_option("NUMBER", o->number, "the household number (户编号)")->required();
    sub->add_option("--as-of", o->as_of, "a date YYYY-MM-DD: the household as it stood then");
    sub->add_flag("--json", o->c.json, "print JSON (the shape of GET /api/v1/households/{id})");
    sub->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o]() -> int {
        std::optional<Date> as_of;
        if (!o->as_of.empty()) {
          auto day = ParseDate(o->as_of);
          if (!day) {
            return Fail(
                o->c,
                InvalidArgument("--as-of must be a date (YYYY-MM-DD)",
                                {ErrorDetail{0, "--as-of", o->as_of, "is not a date (YYYY-MM-DD)"}})
                    .error());
          }
          as_of = *day;
        }
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(o->c, opened.error());
        auto id = HouseholdId(**opened, o->number);
        if (!id) return Fail(o->c, id.error());
        auto service = ServiceOf(**opened);
        auto view = service.Get(*id, CliViewer(), as_of);
        if (!view) return Fail(o->c, view.error());
        if (o->c.json) {
          json body = registry::HouseholdViewJson(*view);
          body["as_of"] = as_of ? json(as_of->ToString()) : json(nullptr);
          fmt::print("{}\n", body.dump(2));
        } else {
          PrintView(*view, as_of);
        }
        return kExitOk;
      };
    });
  }
  {
    auto* sub = cmd->add_subcommand(
        "status",
        "Record a status event (identified, lifted out with --year, monitored, risk eliminated, "
        "returned to poverty, cancelled with --reason): appended to the history, never "
        "overwriting it, validated and audited");
    struct Options {
      Common c;
      std::string number, status, on, reason, note;
      int year = 0;
    };
    auto o = std::make_shared<Options>();
    sub->add_option("NUMBER", o->number, "the household number (户编号)")->required();
    sub->add_option("--status", o->status, "the new status (code or Chinese label)")->required();
    sub->add_option("--on", o->on, "the date of the event, YYYY-MM-DD")->required();
    sub->add_option("--year", o->year, "lifted out: the year of lifting out");
    sub->add_option("--reason", o->reason, "cancelled: why");
    sub->add_option("--note", o->note, "a note for the audit log");
    sub->add_flag("--json", o->c.json, "print the household as JSON after the change");
    sub->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o]() -> int {
        std::vector<ErrorDetail> problems;
        registry::StatusEvent event;
        if (auto code = registry::Statuses().Parse(o->status)) {
          event.status = std::string(*code);
        } else {
          problems.push_back(
              ErrorDetail{0, "--status", o->status, "one of: " + registry::Statuses().Allowed()});
        }
        if (auto day = ParseDate(o->on)) {
          event.on = *day;
        } else {
          problems.push_back(ErrorDetail{0, "--on", o->on, "is not a date (YYYY-MM-DD)"});
        }
        if (o->year != 0) event.year = o->year;
        event.reason = o->reason;
        if (!problems.empty()) {
          return Fail(o->c, InvalidArgument("the event is not valid", std::move(problems)).error());
        }
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(o->c, opened.error());
        auto id = HouseholdId(**opened, o->number);
        if (!id) return Fail(o->c, id.error());
        auto service = ServiceOf(**opened);
        auto current = service.Get(*id, CliViewer());
        if (!current) return Fail(o->c, current.error());
        registry::HouseholdPatch patch;
        patch.version = current->record.household.version;
        patch.status_event = event;
        patch.note = o->note;
        auto view = service.Update(*id, patch, CliViewer());
        if (!view) return Fail(o->c, view.error());
        if (o->c.json) {
          fmt::print("{}\n", registry::HouseholdViewJson(*view).dump(2));
        } else {
          fmt::print("{} {}: {} → {}\n", Localized("household", "户"), o->number,
                     Label(registry::Statuses(), current->record.household.status),
                     Label(registry::Statuses(), view->record.household.status));
        }
        return kExitOk;
      };
    });
  }
  // A JSON file of a request: an object, or a refusal naming the file.
  auto read_object = [](const std::string& file) -> Result<json> {
    auto text = ReadFileBytes(file);
    if (!text) return std::unexpected(text.error());
    json parsed = json::parse(*text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      return InvalidArgument(fmt::format("{}: not a JSON object", file));
    }
    return parsed;
  };
  // Prints the household after a change: JSON, or one line.
  auto print_changed = [](const Common& c, const registry::HouseholdView& view,
                          std::string_view what) {
    if (c.json) {
      fmt::print("{}\n", registry::HouseholdViewJson(view).dump(2));
      return;
    }
    int64_t current = 0;
    for (const auto& m : view.record.members) current += m.left_on ? 0 : 1;
    fmt::print("{} {}: {} ({} {}, {} {}, {} {})\n", Localized("household", "户"),
               view.record.household.number, what, Localized("status", "状态"),
               Label(registry::Statuses(), view.record.household.status),
               Localized("members", "人口"), current, Localized("version", "版本"),
               view.record.household.version);
  };
  {
    auto* sub = cmd->add_subcommand(
        "create",
        "Register one household from a JSON file (the body of POST /api/v1/households: number, "
        "region, attribute, causes, members, events, incomes, guarantees, measures, helpers), "
        "validated as a whole and audited");
    struct Options {
      Common c;
      std::string file;
    };
    auto o = std::make_shared<Options>();
    sub->add_option("FILE", o->file, "the JSON file")->required();
    sub->add_flag("--json", o->c.json, "print the household as JSON");
    sub->callback([&ctx, db, o, read_object, print_changed] {
      ctx.action = [&ctx, db, o, read_object, print_changed]() -> int {
        auto body = read_object(o->file);
        if (!body) return Fail(o->c, body.error());
        auto record = registry::ParseRecord(*body);
        if (!record) return Fail(o->c, record.error());
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(o->c, opened.error());
        auto view = ServiceOf(**opened).Create(std::move(*record), CliViewer());
        if (!view) return Fail(o->c, view.error());
        print_changed(o->c, *view, Localized("registered", "已登记"));
        return kExitOk;
      };
    });
  }
  {
    auto* sub = cmd->add_subcommand(
        "edit",
        "Change a household's fields from a JSON file (the body of PATCH "
        "/api/v1/households/{id}: the fields present are set, null clears one; members by id, "
        "incomes by year, measures, helpers, guarantees). Without `version` the file edits the "
        "current version. Validated as a whole and audited with the changed fields.");
    struct Options {
      Common c;
      std::string number, file, note;
    };
    auto o = std::make_shared<Options>();
    sub->add_option("NUMBER", o->number, "the household number (户编号)")->required();
    sub->add_option("FILE", o->file, "the JSON file")->required();
    sub->add_option("--note", o->note, "why, for the audit log (else the file's `note`)");
    sub->add_flag("--json", o->c.json, "print the household as JSON after the change");
    sub->callback([&ctx, db, o, read_object, print_changed] {
      ctx.action = [&ctx, db, o, read_object, print_changed]() -> int {
        auto body = read_object(o->file);
        if (!body) return Fail(o->c, body.error());
        if (!o->note.empty()) (*body)["note"] = o->note;
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(o->c, opened.error());
        auto id = HouseholdId(**opened, o->number);
        if (!id) return Fail(o->c, id.error());
        auto service = ServiceOf(**opened);
        if (auto v = WithCurrentVersion(service, *id, *body); !v) return Fail(o->c, v.error());
        auto patch = registry::ParsePatch(*body);
        if (!patch) return Fail(o->c, patch.error());
        auto view = service.Update(*id, *patch, CliViewer());
        if (!view) return Fail(o->c, view.error());
        print_changed(o->c, *view, Localized("changed", "已修改"));
        return kExitOk;
      };
    });
  }
  {
    auto* sub = cmd->add_subcommand(
        "member-event",
        "Record a membership event (birth, death, marriage in/out, move in/out, split, merge, ID "
        "correction) with its date, from options and/or a JSON file (the body of POST "
        "/api/v1/households/{id}/member-events; options take precedence). The member concerned is "
        "named by ID number or name (--member) or by id (--member-id; `fupin household show "
        "NUMBER`). All or nothing, audited.");
    struct Options {
      Common c;
      std::string number, file, kind, on, note, id_number, relation, new_id_number, member;
      int64_t member_id = 0;
    };
    auto o = std::make_shared<Options>();
    sub->add_option("NUMBER", o->number, "the household number (户编号)")->required();
    sub->add_option("FILE", o->file, "a JSON file with the event's fields");
    sub->add_option("--kind", o->kind,
                    "birth, death, marriage_in, marriage_out, move_in, move_out, split, merge, "
                    "id_correction (or the Chinese label)");
    sub->add_option("--on", o->on, "the date of the event, YYYY-MM-DD");
    auto* by_name =
        sub->add_option("--member", o->member,
                        "death, marriage_out, move_out, id_correction: the member concerned, by ID "
                        "number (身份证号) or by a name only one current member has");
    sub->add_option("--member-id", o->member_id,
                    "death, marriage_out, move_out, id_correction: the member concerned, by id")
        ->excludes(by_name);
    sub->add_option("--id-number", o->id_number,
                    "marriage_in, move_in: the ID number of a person registered in another "
                    "household (they leave it on the same day)");
    sub->add_option("--relation", o->relation, "the person's relation to the head");
    sub->add_option("--new-id-number", o->new_id_number, "id_correction: the right ID number");
    sub->add_option("--note", o->note, "a note for the audit log");
    sub->add_flag("--json", o->c.json, "print the household as JSON after the event");
    sub->callback([&ctx, db, o, read_object, print_changed] {
      ctx.action = [&ctx, db, o, read_object, print_changed]() -> int {
        json body = json::object();
        if (!o->file.empty()) {
          auto read = read_object(o->file);
          if (!read) return Fail(o->c, read.error());
          body = std::move(*read);
        }
        auto set = [&](const char* field, const std::string& value) {
          if (!value.empty()) body[field] = value;
        };
        set("kind", o->kind);
        set("on", o->on);
        set("note", o->note);
        set("id_number", o->id_number);
        set("relation", o->relation);
        set("new_id_number", o->new_id_number);
        if (o->member_id != 0) {
          body["member_id"] = o->member_id;
          body.erase("member");  // the option takes precedence over the file's
        }
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(o->c, opened.error());
        auto household = FindHousehold(**opened, o->number);
        if (!household) return Fail(o->c, household.error());
        const int64_t id = household->household.id;
        auto service = ServiceOf(**opened);
        if (!o->member.empty()) {
          auto member = registry::CurrentMemberId(*household, o->member, "--member");
          if (!member) return Fail(o->c, member.error());
          body["member_id"] = *member;
          body.erase("member");
        }
        if (auto v = WithCurrentVersion(service, id, body); !v) return Fail(o->c, v.error());
        auto request = registry::ParseMemberEvent(body);
        if (!request) return Fail(o->c, request.error());
        auto view = service.RecordMemberEvent(id, *request, CliViewer());
        if (!view) return Fail(o->c, view.error());
        const std::string kind(registry::MemberEventKinds().Zh(request->kind));
        print_changed(o->c, *view,
                      fmt::format("{} {} {}", Localized("recorded", "已记录"),
                                  ChineseOutput() && !kind.empty() ? kind : request->kind,
                                  request->on.ToString()));
        return kExitOk;
      };
    });
  }
}

}  // namespace fupin::cli
