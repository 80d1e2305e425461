"""Going live on Google Cloud: the plan of what must exist (pure), the bundle of the deployed
source, and the gcloud port that reads what exists and runs the commands."""
