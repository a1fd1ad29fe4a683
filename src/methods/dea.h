// Data envelopment analysis (数据包络分析): envelopment models CCR (constant returns to
// scale, Charnes, Cooper & Rhodes 1978), BCC (variable, Banker, Charnes & Cooper 1984) and
// NIRS, input or output orientation, second-stage max-slack, peers, classification, scale
// efficiency and Andersen–Petersen super-efficiency.
//
// Data: n DMUs (rows) × m inputs and × s outputs, non-negative, each DMU with at least one
// positive input and one positive output. Every column is divided by its mean before solving
// (scores are unit-invariant; slacks are returned in the original units), so data in the
// billions solve as reliably as data in units. LPs are solved with Clp behind LpSolver,
// warm-started from one DMU to the next, over a reference set that grows by column generation
// (only DMUs whose reduced cost is negative enter), which gives the same optimum as the full
// reference set.
// Thread-safety: pure functions (each call owns its solver).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "methods/common.h"

namespace fupin::methods {

enum class ReturnsToScale { kCrs, kVrs, kNirs };
enum class Orientation { kInput, kOutput };
enum class DeaClass { kEfficient, kWeaklyEfficient, kInefficient };
enum class ScaleType { kIrs, kCrs, kDrs };  // increasing / constant / decreasing

std::string_view ReturnsToScaleName(ReturnsToScale rts);    // "crs", "vrs", "nirs"
std::string_view OrientationName(Orientation orientation);  // "input", "output"
std::string_view DeaClassName(DeaClass c);    // "efficient", "weakly efficient", "inefficient"
std::string_view ScaleTypeName(ScaleType t);  // "irs", "crs", "drs"

struct DeaOptions {
  ReturnsToScale rts = ReturnsToScale::kCrs;
  Orientation orientation = Orientation::kInput;
  bool slacks = true;             // second stage: maximize the sum of (rescaled) slacks
  bool super_efficiency = false;  // Andersen–Petersen: the DMU leaves its own reference set
  bool scale = false;             // also solve CRS, VRS and NIRS for scale efficiency
  double tolerance = 1e-6;        // score = 1 and slack = 0 within this (rescaled units)
};

struct DeaPeer {
  int dmu = 0;  // 0-based
  double lambda = 0.0;
};

struct DeaDmuResult {
  bool feasible = true;     // the standard model had an optimum
  double efficiency = 0.0;  // θ (input) or 1/φ (output), in (0, 1]
  double score = 0.0;       // θ (input) or φ ≥ 1 (output)
  Vector input_slacks;      // original units
  Vector output_slacks;
  std::vector<DeaPeer> peers;  // λ_j > 1e-9, by DMU index
  DeaClass classification = DeaClass::kInefficient;
  // Super-efficiency on the efficiency scale (θ, or 1/φ for output orientation; ≥ 1 for
  // efficient DMUs); nullopt when not requested or infeasible (super_feasible = false).
  std::optional<double> super_efficiency;
  bool super_feasible = true;
  std::optional<double> scale_efficiency;  // TE_crs / TE_vrs
  std::optional<ScaleType> scale_type;     // crs when SE = 1, drs when TE_nirs = TE_vrs, else irs
};

struct DeaResult {
  std::vector<DeaDmuResult> dmus;
  Vector input_scale;  // the column means the data were divided by
  Vector output_scale;
  int64_t lp_solves = 0;
};

// Errors: shape mismatch, non-finite or negative data (naming the cell: columns #1..#m are
// inputs, #m+1.. outputs), a DMU without a positive input or output, a solver failure.
Result<DeaResult> Dea(const Matrix& inputs, const Matrix& outputs, const DeaOptions& options = {});

// Efficiency (θ or 1/φ) of each evaluated point (rows of eval_inputs/eval_outputs) against the
// technology spanned by the reference DMUs; nullopt when the LP is infeasible or unbounded.
// Used by Malmquist for cross-period distance functions.
Result<std::vector<std::optional<double>>> DeaEfficiencyAgainst(
    const Matrix& ref_inputs, const Matrix& ref_outputs, const Matrix& eval_inputs,
    const Matrix& eval_outputs, ReturnsToScale rts, Orientation orientation);

}  // namespace fupin::methods
