#include "cli/user_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "access/auth_service.h"
#include "base/text.h"
#include "cli/database_option.h"

namespace fupin::cli {
namespace {

std::string RolesText(const access::User& u) {
  std::string out;
  for (const auto& b : u.roles) {
    out += fmt::format("{}{}@{}", out.empty() ? "" : " ", access::RoleName(b.role), b.region_code);
    if (b.organization_id > 0) out += fmt::format("#{}", b.organization_id);
    if (b.household_id > 0) out += fmt::format(" household {}", b.household_number);
  }
  return out;
}

// Reads a password from standard input: the first line, without its line end.
Result<std::string> PasswordFromStdin() {
  std::string line;
  if (!std::getline(std::cin, line)) return InvalidArgument("no password on standard input");
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

template <typename F>
int WithAuth(const CommandContext& ctx, const DatabaseOption& db, F body) {
  auto opened = db.Open(ctx, /*migrate=*/true);
  if (!opened) return ReportError(opened.error());
  SystemClock clock;
  access::AuthService auth((*opened)->Access(), clock);
  return body(**opened, auth);
}

}  // namespace

void AddUserCommands(CLI::App& root, CommandContext& ctx) {
  auto* group = root.add_subcommand("user",
                                    "Manage users (their passwords never appear in "
                                    "arguments, logs or output)");
  group->require_subcommand(1);
  {
    auto* cmd = group->add_subcommand(
        "add",
        "Create a user, e.g. the first admin: fupin user add --name admin --role admin "
        "--region 620000000000 --password-stdin");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    struct Options {
      std::string name, display_name, role, region;
      int64_t organization = 0;
      std::string household;
      bool password_stdin = false;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--name", o->name, "login name")->required();
    cmd->add_option("--display-name", o->display_name, "name shown in the UI");
    cmd->add_option("--role", o->role,
                    "admin, official, village, enterprise, social_org, household, evaluator or "
                    "auditor")
        ->required();
    cmd->add_option("--region", o->region, "12-digit code of the region the role applies to")
        ->required();
    cmd->add_option("--organization", o->organization, "organization id (enterprise, social_org)");
    cmd->add_option("--household", o->household,
                    "the household role: the number (户编号) of the member's own household, in "
                    "the --region village");
    cmd->add_flag("--password-stdin", o->password_stdin, "read the password from standard input")
        ->required();
    cmd->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o] {
        auto role = access::ParseRole(o->role);
        if (!role) return ReportError(role.error());
        auto password = PasswordFromStdin();
        if (!password) return ReportError(password.error());
        return WithAuth(ctx, *db, [&](storage::Database&, access::AuthService& auth) {
          auto created = auth.CreateUser({o->name,
                                          o->display_name,
                                          *password,
                                          {{*role, o->region, o->organization, 0, o->household}}},
                                         CliActor());
          if (!created) return ReportError(created.error());
          fmt::print("created user {} (id {}): {}\n", created->name, created->id,
                     RolesText(*created));
          return kExitOk;
        });
      };
    });
  }
  {
    auto* cmd = group->add_subcommand("list", "List users and their roles");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    cmd->callback([&ctx, db] {
      ctx.action = [&ctx, db] {
        return WithAuth(ctx, *db, [&](storage::Database& database, access::AuthService&) {
          auto users = database.Access().ListUsers();
          if (!users) return ReportError(users.error());
          for (const auto& u : *users) {
            fmt::print("{:>4}  {:<20} {:<10} {}\n", u.id, u.name,
                       u.disabled ? "disabled" : "active", RolesText(u));
          }
          return kExitOk;
        });
      };
    });
  }
  for (const bool disable : {true, false}) {
    auto* cmd = group->add_subcommand(
        disable ? "disable" : "enable",
        disable ? "Disable a user (ends their sessions)" : "Enable a disabled user");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    auto name = std::make_shared<std::string>();
    cmd->add_option("NAME", *name, "login name")->required();
    cmd->callback([&ctx, db, name, disable] {
      ctx.action = [&ctx, db, name, disable] {
        return WithAuth(ctx, *db, [&](storage::Database&, access::AuthService& auth) {
          auto user = auth.SetDisabled(*name, disable, CliActor());
          if (!user) return ReportError(user.error());
          fmt::print("{} {}\n", disable ? "disabled" : "enabled", user->name);
          return kExitOk;
        });
      };
    });
  }
  {
    auto* cmd = group->add_subcommand(
        "reset-password", "Set a user's password from standard input (ends their sessions)");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    auto name = std::make_shared<std::string>();
    cmd->add_option("NAME", *name, "login name")->required();
    cmd->callback([&ctx, db, name] {
      ctx.action = [&ctx, db, name] {
        auto password = PasswordFromStdin();
        if (!password) return ReportError(password.error());
        return WithAuth(ctx, *db, [&](storage::Database&, access::AuthService& auth) {
          if (auto s = auth.ResetPassword(*name, *password, CliActor()); !s) {
            return ReportError(s.error());
          }
          fmt::print("password of {} reset\n", *name);
          return kExitOk;
        });
      };
    });
  }
}

void AddAuditCommands(CLI::App& root, CommandContext& ctx) {
  auto* group = root.add_subcommand("audit", "Check the tamper-evident audit log");
  group->require_subcommand(1);
  {
    auto* cmd = group->add_subcommand(
        "verify",
        "Re-check the whole hash chain; exits 3 naming the first broken entry. With --head "
        "COUNT:HASH (from `fupin audit head`, kept elsewhere) a truncated log shows too.");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    auto head = std::make_shared<std::string>();
    cmd->add_option("--head", *head, "a saved head, COUNT:HASH");
    cmd->callback([&ctx, db, head] {
      ctx.action = [&ctx, db, head] {
        std::optional<audit::Head> expected;
        if (!head->empty()) {
          const auto parts = Split(*head, ':');
          if (parts.size() != 2 || !IsAsciiDigits(parts[0])) {
            return ReportError(InvalidArgument("--head must be COUNT:HASH").error());
          }
          expected = audit::Head{std::stoll(parts[0]), parts[1]};
        }
        auto opened = db->Open(ctx, /*migrate=*/false);
        if (!opened) return ReportError(opened.error());
        auto v = (*opened)->Audit().Verify(expected);
        if (!v) return ReportError(v.error());
        if (!v->ok) {
          fmt::print(stderr, "fupin: audit log broken at entry {}: {}\n", v->first_broken,
                     v->problem);
          return kExitFailure;
        }
        fmt::print("audit log intact: {} entries, head {}:{}\n", v->checked, v->head.count,
                   v->head.hash);
        return kExitOk;
      };
    });
  }
  {
    auto* cmd = group->add_subcommand(
        "head", "Print the audit log's head (COUNT:HASH) to keep somewhere else");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    cmd->callback([&ctx, db] {
      ctx.action = [&ctx, db] {
        auto opened = db->Open(ctx, /*migrate=*/false);
        if (!opened) return ReportError(opened.error());
        auto head = (*opened)->Audit().CurrentHead();
        if (!head) return ReportError(head.error());
        fmt::print("{}:{}\n", head->count, head->hash);
        return kExitOk;
      };
    });
  }
}

}  // namespace fupin::cli
