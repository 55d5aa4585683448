"""The model folder's format version, and the rule for when and how it changes.

``FORMAT_VERSION`` names the layout of a model folder: its file names, the
array names and shapes in ``arrays.npz``, the keys of ``metadata.json`` that
loading reads, and what each feature setting means. A folder records the
version it was written with; a reader refuses a newer one ("upgrade the
package") before it reads anything else.

When to change it:

* Bump it when a folder written by the new code would be read wrongly or not
  at all by the released code: a renamed or reshaped array, a new required
  file or metadata key, a feature setting whose meaning changes, or scoring
  arithmetic that gives other scores from the same arrays.
* Do not bump it for what released readers safely ignore: a new optional
  metadata key, an extra report file beside the model (it is covered by the
  checksums either way), a new value of a setting that older readers already
  refuse by name (as ``TfidfFeatures`` refuses an unknown analyzer).

How to change it:

1. Raise ``FORMAT_VERSION`` by one in the same change that alters the layout.
2. Keep reading every older version the package has shipped, in ``folder.py``,
   one branch per version, or refuse it with a message that says to retrain.
3. Keep a test that loads a folder of each version still read, and rebuild
   the shipped model (``training/build_default_model.py``) so it is current.
4. Say in the change log which versions this release reads and writes.
"""

from __future__ import annotations

#: The layout this code writes and the only one it reads. Version 2 added ``metadata_sha256``
#: (the metadata's own checksum); version 1 folders are refused with advice to retrain, because
#: reading them would let an edited metadata.json pass as an older, unchecked folder.
FORMAT_VERSION = 2
