// Which way is better for a metric: from the stored conventions, else by name.
#pragma once

#include <string>
#include <vector>

#include "store/result_store.hpp"

namespace stegolab {

// "higher", "lower" or "" (unknown: nothing is marked best).
// Defaults by name: psnr/ssim/images_per_s higher; ber/mae/rmse/mse/loss/time/
// memory/_ms/_mb lower.
std::string metric_direction(const std::string& metric,
                             const std::vector<MetricConvention>& conventions);

}  // namespace stegolab
