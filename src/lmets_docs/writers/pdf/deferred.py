"""Import fontTools' subsetter and variable-font instancer only when WeasyPrint first uses them.

WeasyPrint imports ``fontTools.subset`` and ``fontTools.varLib.instancer`` with itself, for two
fallbacks: subsetting a font when HarfBuzz's subsetter is missing, and making a variable font
static. Our fonts need neither (HarfBuzz subsets them, and they are static), yet the two
imports (fontTools' OpenType table classes) cost 0.06-0.08 s of CPU in every printing process,
a quarter of importing the writer (measured in fresh processes). So while WeasyPrint is
imported, each of the two modules is a stand-in: the names WeasyPrint takes from it (``from
... import name``) are small functions, and anything else asked of it, that imports the real
module the first time it is used and hands its answer over. Afterwards the stand-ins are taken
out of ``sys.modules``, so any other importer gets the real modules; WeasyPrint keeps its
stand-ins. A module imported already is left alone.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

DEFERRED: dict[str, tuple[str, ...]] = {
    "fontTools.subset": (),
    "fontTools.varLib.instancer": ("instantiateVariableFont",),
}
"""Each module put off, and the names WeasyPrint imports from it (``from module import name``)."""


class StandIn(types.ModuleType):
    """A module that imports the real one when an attribute it lacks is asked for."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # what the import system looks for (``__path__``)
            raise AttributeError(name)
        return getattr(real(self.__name__), name)


def real(module_name: str) -> types.ModuleType:
    """Return the real module, imported now if need be (its stand-in set aside first)."""
    if isinstance(sys.modules.get(module_name), StandIn):
        del sys.modules[module_name]
    return importlib.import_module(module_name)


def forwarder(module_name: str, name: str) -> Callable[..., Any]:
    """Return a function that calls ``module_name.name``, importing the module on first use."""

    def forward(*args: Any, **kwargs: Any) -> Any:
        return getattr(real(module_name), name)(*args, **kwargs)

    forward.__name__ = forward.__qualname__ = name
    return forward


@contextmanager
def stand_ins() -> Iterator[dict[str, StandIn]]:
    """Put a stand-in for each module not imported yet into ``sys.modules``, meanwhile."""
    placed: dict[str, StandIn] = {}
    for module_name, names in DEFERRED.items():
        if module_name not in sys.modules:
            module = StandIn(module_name)
            for name in names:
                setattr(module, name, forwarder(module_name, name))
            sys.modules[module_name] = placed[module_name] = module
    try:
        yield placed
    finally:
        for module_name, module in placed.items():
            if sys.modules.get(module_name) is module:
                del sys.modules[module_name]
