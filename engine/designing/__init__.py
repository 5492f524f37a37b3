"""What process designers do: deploy versions of diagrams and forms, move running dossiers to a newer version."""
