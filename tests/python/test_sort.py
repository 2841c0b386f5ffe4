"""Oracles: gradcheck in float64 of penumbra.soft_sort through both outputs; properties of P
(doubly stochastic, sorted = x P, hard as the steepness grows)."""
import pytest
import torch

import penumbra


@pytest.mark.parametrize("network, relaxation", [
    ("odd_even", "cauchy"), ("bitonic", "logistic"), ("odd_even", "optimal"),
    ("bitonic", "gaussian")])
def test_gradcheck(network, relaxation):
    x = torch.tensor([[0.3, -1.2, 0.8, 0.1, 2.0], [1.0, 0.9, -0.4, 0.2, -2.0]],
                     dtype=torch.float64, requires_grad=True)
    weights = torch.linspace(-1, 1, 25, dtype=torch.float64).view(5, 5)

    def outputs(values):
        sorted_values, permutation = penumbra.soft_sort(values, network, relaxation, steepness=3.0)
        return sorted_values, (permutation * weights).sum(dim=(1, 2))
    assert torch.autograd.gradcheck(outputs, (x,), eps=1e-6, atol=1e-6)


def test_permutation_properties():
    x = torch.tensor([0.5, -1.0, 3.0, 0.25])
    sorted_values, permutation = penumbra.soft_sort(x, steepness=10.0)
    assert torch.allclose(permutation.sum(0), torch.ones(4), atol=1e-5)
    assert torch.allclose(permutation.sum(1), torch.ones(4), atol=1e-5)
    assert torch.allclose(sorted_values, x @ permutation, atol=1e-5)
    hard_sorted, hard = penumbra.soft_sort(x, steepness=1e6)
    assert torch.allclose(hard_sorted, torch.sort(x).values, atol=1e-4)
    assert torch.equal(hard.argmax(0), torch.argsort(x))


def test_bad_input():
    with pytest.raises(ValueError, match="steepness"):
        penumbra.soft_sort(torch.ones(3), steepness=-1.0)
    with pytest.raises(ValueError, match="network"):
        penumbra.soft_sort(torch.ones(3), network="bubble")
    with pytest.raises(ValueError, match="finite"):
        penumbra.soft_sort(torch.tensor([1.0, float("nan")]))
    with pytest.raises(ValueError, match="int64"):
        penumbra.soft_sort(torch.arange(4))
