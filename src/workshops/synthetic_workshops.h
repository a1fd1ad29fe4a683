// The demo's workshops, generated deterministically: a county's workshops (62, as in Tianzhu),
// run mostly by local enterprises with cooperatives as the auxiliary, recognized from 2017 on,
// employing registered household members, with monthly reports from 2018 to the last full
// month, the early-2020 shock — most workshops suspended after the Spring Festival and resuming
// at a pace like Gansu's (237 of 1,982 early, 519 by 23 February, about half by early March,
// over 90% by April) —, a handful of idle ones, and a few closed.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workshops/model.h"

namespace fupin::workshops {

struct SyntheticVillage {
  std::string code;
  std::string name;
  double longitude = 0;  // a point inside it, for the map
  double latitude = 0;
};

// A registered member who may work in a workshop.
struct SyntheticWorker {
  int64_t member_id = 0;
  std::string id_number;
  std::string category;  // WorkerCategories()
  std::string village;   // the region code of their household
};

struct SyntheticOperator {
  int64_t id = 0;
  bool cooperative = false;
};

struct SyntheticWorkshopOptions {
  uint64_t seed = 1;
  int count = 62;
  Date today;  // reports run to the month before this one
};

// Workshops have id 0; employments and reports name their workshop by index in `workshops`
// + 1 in workshop_id (the caller maps them to stored ids).
struct SyntheticWorkshopData {
  std::vector<Workshop> workshops;
  std::vector<Employment> employments;
  std::vector<MonthlyReport> reports;
  std::vector<size_t> idle;  // indices of the workshops made idle
};

// The (day, share resumed) points of the 2020 curve the generator follows, from Gansu's
// figures: 237 / 1,982 by 10 February, 519 / 1,982 by 23 February, about half by 5 March,
// over 90% by 1 April.
struct CurvePoint {
  Date day;
  double share = 0;
};
const std::vector<CurvePoint>& GansuResumption2020();

SyntheticWorkshopData GenerateWorkshops(const std::vector<SyntheticVillage>& villages,
                                        const std::vector<SyntheticWorker>& workers,
                                        const std::vector<SyntheticOperator>& operators,
                                        const SyntheticWorkshopOptions& options);

}  // namespace fupin::workshops
