"""pandas settings kccperf relies on, applied once when kccperf is imported.

pandas 3 gives text columns the ``str`` dtype, stored with pyarrow when pyarrow is installed (it is: the
edition cache is Parquet). The pyarrow-backed storage refuses operations the calculators use on text
columns that the Python-backed one allows (joining text with numbers in messages, dividing columns read
as text), so kccperf asks for the Python-backed storage. Both storages are the same ``str`` dtype with
NaN for missing values; only where the strings live differs.
"""

from __future__ import annotations

import pandas as pd

pd.set_option("mode.string_storage", "python")
