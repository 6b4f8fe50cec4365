"""The one place stage 5 reaches into stages 3 and 4's analysis (names agreed in the stage notes).

Stage 5 reuses, never copies: learning hours and learning change from stage 3, fidelity, practice
change, implementation levels and the chain's links from stage 4. Each name is looked up on the
stage's analysis package first, then in the module that defines it, so a stage that re-exports its
names later needs no change here.
"""

from __future__ import annotations

from importlib import import_module

_WHERE = {
    "educator_hours": ("kit.stages.s3_educator_learning.analysis", "dose"),
    "educator_learning_change": ("kit.stages.s3_educator_learning.analysis", "dose"),
    "fidelity_by_educator": ("kit.stages.s4_educator_practice.analysis", "fidelity"),
    "practice_change": ("kit.stages.s4_educator_practice.analysis", "fidelity"),
    "implementation_levels": ("kit.stages.s4_educator_practice.analysis", "fidelity"),
    "DEFAULT_FIDELITY_LINE": ("kit.stages.s4_educator_practice.analysis", "fidelity"),
    "practice_scale": ("kit.stages.s4_educator_practice.analysis", "observations"),
    "chain_per_educator": ("kit.stages.s4_educator_practice.analysis", "chain"),
    "chain_links": ("kit.stages.s4_educator_practice.analysis", "chain"),
    "change_by_group": ("kit.stages.s4_educator_practice.analysis", "chain"),
    "chain_breaks": ("kit.stages.s4_educator_practice.analysis", "chain"),
    "step_words": ("kit.stages.s4_educator_practice.analysis", "chain"),
    "typed_observations": ("kit.stages.s4_educator_practice.analysis", "observations"),
    "merge_observations": ("kit.stages.s4_educator_practice.analysis", "observations"),
    "coaching_log": ("kit.stages.s4_educator_practice.analysis", "coaching"),
    "coaching_dose": ("kit.stages.s4_educator_practice.analysis", "coaching"),
    "school_year": ("kit.stages.s2_professional_learning.analysis", "participation"),
}


def earlier(name: str):
    """The function (or constant) `name` of stage 3 or 4's analysis.

    >>> earlier("chain_links").__name__
    'chain_links'
    """
    package, module = _WHERE[name]
    found = getattr(import_module(package), name, None)
    return found if found is not None else getattr(import_module(f"{package}.{module}"), name)
