"""Import an eksctl ClusterConfig (`cluster.yaml`) into a stack file of this platform.

Teams that adopt eks-platform often already describe their clusters for eksctl, as the design
note does. `import_cluster_config` carries over what the platform can express, applies eksctl's
own defaults where the file is silent, and lists every field it leaves behind with the reason;
`python -m importer` writes `Pulumi.<stack>.yaml` only once the settings layer accepts it.
"""

from .mapping import import_cluster_config
from .outcome import Outcome

__all__ = ["Outcome", "import_cluster_config"]
