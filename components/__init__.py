"""The platform's ComponentResources, one concept per file (type token eks-platform:index:<Name>)."""
