// Test-only: a small registry with hand-computed indicator values (see test_fixture.cc for
// the households and the expected figures), fed to any FactSink.
#pragma once

#include <string>
#include <vector>

#include "indicators/indicator_repository.h"

namespace fupin::indicators::testing {

// Regions: province 990000000000 → city 990100000000 → county 990101000000 → townships
// 990101001000 (T1: villages V1 990101001001, V2 990101001002) and 990101002000 (T2: village
// V3 990101002001).
inline constexpr char kCounty[] = "990101000000";
inline constexpr char kT1[] = "990101001000";
inline constexpr char kT2[] = "990101002000";
inline constexpr char kV1[] = "990101001001";
inline constexpr char kV2[] = "990101001002";
inline constexpr char kV3[] = "990101002001";

// Streams the fixture, households and entered values included.
void FeedFixture(FactSink& sink);

}  // namespace fupin::indicators::testing
