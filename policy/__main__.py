"""eks-platform's policy pack: `pulumi preview --policy-pack policy --policy-pack-config policy/config/<stack>.json`.

Advisory unless the config says otherwise; policy/config/prod.json makes every rule mandatory.
"""

from pack import policies
from pulumi_policy import EnforcementLevel, PolicyPack

PolicyPack("eks-platform", policies(), enforcement_level=EnforcementLevel.ADVISORY)
