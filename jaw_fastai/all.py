"Everything a notebook user needs: `from jaw_fastai.all import *` (hand-written, like `fastai.vision.all`)."
from fastai.vision.all import *
from .synth import *
from .data import *
from .models import *
from .learner import *
from .interpret import *
from .cam import *
from .train import *
from .export import *
from .cv import *
from .report import *
from .xray import *
from .core import *
from .distributed import *
