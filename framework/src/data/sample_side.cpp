#include "data/sample_side.hpp"

#include <string>

#include "stegolab/errors.hpp"

namespace stegolab {

int64_t training_sample_side(const ImageSource& source) {
  const ImageExtent extent = source.sample_extent(/*augment=*/true);
  if (extent.height < 1 || extent.height != extent.width) {
    throw Error("the data source's training samples are " + std::to_string(extent.height) + "x" +
                std::to_string(extent.width) + "; models are built for square samples");
  }
  return extent.height;
}

}  // namespace stegolab
