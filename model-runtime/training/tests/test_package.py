"""The package's layering: the data side imports no torch and no numpy, so these tests (and data tools) run on
any Python 3."""
import subprocess
import sys
import unittest

from tests import TRAINING

NO_TORCH = ["wmtrain.datasets", "wmtrain.delex", "wmtrain.slices", "wmtrain.tokenizer", "wmtrain.tokenizer_v1",
            "wmtrain.state_slots", "wmeval.facts"]


class PackageTest(unittest.TestCase):

    def test_should_import_the_data_side_without_torch_or_numpy(self):
        # Given a fresh interpreter / When it imports every module of the data side
        code = ("import sys\nimport " + ", ".join(NO_TORCH) + "\n"
                "print(sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'numpy', 'nltk', 'onnx'}))")
        out = subprocess.run([sys.executable, "-c", code], cwd=TRAINING, capture_output=True, encoding="utf-8")
        # Then it loaded none of the training libraries
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(), "[]")


if __name__ == "__main__":
    unittest.main()
