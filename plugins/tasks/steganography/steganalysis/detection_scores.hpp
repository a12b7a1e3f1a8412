// How well a detector's scores tell two sets of images apart: ROC AUC and
// the accuracy of the best single threshold (1 - P_E, the steganalysis
// literature's minimal total error). Higher scores mean "the second set";
// 0.5 for both = the detector cannot tell the sets apart.
#pragma once

#include <vector>

namespace stegolab::steganography {

// Area under the ROC curve by the rank statistic (Mann-Whitney U / (n m)),
// ties given their mean rank, so identical score sets give exactly 0.5.
// Throws Error when either set is empty.
double roc_auc(const std::vector<double>& negatives, const std::vector<double>& positives);

// 1 - P_E, P_E = min over thresholds t of (P_FA(t) + P_MD(t)) / 2, where a
// score above t says "positive": the accuracy of the best threshold on equal
// priors. At least 0.5 (the threshold above every score).
double min_error_accuracy(const std::vector<double>& negatives,
                          const std::vector<double>& positives);

// The fraction of correct decisions of a fixed threshold: a negative is
// right at a score <= t, a positive at a score > t; equal weight per set.
double threshold_accuracy(const std::vector<double>& negatives,
                          const std::vector<double>& positives, double threshold);

}  // namespace stegolab::steganography
