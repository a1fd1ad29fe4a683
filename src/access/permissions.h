// The permission matrix: module × action × role × the level of the region the role is bound
// to, declared in one table (permissions.cc) and documented in docs/access.md. Every API route
// names the Permission it needs; one mechanism (the HTTP layer's authorizer) checks it, and
// services receive the caller's scope — the region subtrees where the permission holds — to
// filter their storage queries.
// Thread-safety: immutable data and pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "access/model.h"
#include "regions/region.h"

namespace fupin::access {

struct Permission {
  std::string_view module;  // "regions", "users", "audit", …
  std::string_view action;  // "read", "write", "approve", …

  friend bool operator==(const Permission&, const Permission&) = default;
};

// How far a grant reaches from its binding: the subtree of the binding's region, or only the
// binding's own household (the household role's registry reads: a household member sees their
// own record and nothing of the other households of their village), or only what the binding's
// organization runs (an enterprise's or cooperative's own workshops).
enum class Reach { kRegion, kOwnHousehold, kOwnOrganization };

// One row of the matrix: `role` may do `action` on `module` when the region its binding names
// is at a level from `highest` down to `lowest` (e.g. only county officials approve).
struct Grant {
  std::string_view module;
  std::string_view action;
  Role role;
  regions::RegionLevel highest = regions::RegionLevel::kProvince;
  regions::RegionLevel lowest = regions::RegionLevel::kVillage;
  Reach reach = Reach::kRegion;
};

std::span<const Grant> PermissionMatrix();

// Every permission the matrix mentions, for listing and tests.
std::vector<Permission> AllPermissions();

// The authenticated caller of a request.
struct Principal {
  int64_t user_id = 0;
  std::string name;
  std::vector<RoleBinding> roles;
  bool view_sensitive = false;  // explicit per-user grant

  // The region subtrees where the caller holds `permission`, without overlaps. Admins hold
  // their permissions everywhere, written as the single scope "" (the whole tree). Empty when
  // the caller does not hold it over any region (it may still hold it on its own household).
  std::vector<std::string> Scope(Permission permission) const;
  // The households on which the caller holds `permission` through a household binding
  // (Reach::kOwnHousehold grants; for personal_data.view_sensitive also the per-user grant on
  // a household binding), sorted, without duplicates. Never part of Scope(): a route or
  // service that does not ask for these does not let a household user in.
  std::vector<int64_t> Households(Permission permission) const;
  // The organizations through whose bindings the caller holds `permission` on what the
  // organization runs (Reach::kOwnOrganization grants), sorted, without duplicates. Never part
  // of Scope(): only routes and services that ask for these let an operator in.
  std::vector<int64_t> Organizations(Permission permission) const;
  // Over a region, on one's own household or on what one's organization runs.
  bool Holds(Permission permission) const {
    return !Scope(permission).empty() || !Households(permission).empty() ||
           !Organizations(permission).empty();
  }
  // True when `region_code` lies inside one of the subtrees of Scope(permission).
  bool HoldsIn(Permission permission, std::string_view region_code) const;
  bool HasRole(Role role) const;
};

// True when `code` is inside the subtree of `scope` ("" = everything).
bool InSubtree(std::string_view scope, std::string_view code);
// True when `code` is inside any of the `scope` subtrees ({""} = everywhere; {} = nowhere).
bool InAnySubtree(const std::vector<std::string>& scope, std::string_view code);

}  // namespace fupin::access
