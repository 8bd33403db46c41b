"""The network's signal receivers cover exactly the models the search index builds from."""

from __future__ import annotations

from kyoten.network import indexing, receivers


def test_receivers_listen_to_every_indexed_model_and_no_other():
    assert [m._meta.label for m in receivers.indexed_models()] == [
        model._meta.label for model, _build, _kind in indexing.builders()
    ]
    assert [m._meta.label for m in receivers.indexed_models()] == list(receivers.INDEXED)
