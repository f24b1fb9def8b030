{{- define "tap.fullname" -}}
{{- printf "%s" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "tap.labels" -}}
app.kubernetes.io/part-of: trade-anomaly-pipeline
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The services of the chart: key in values, name of the service and its image. */}}
{{- define "tap.services" -}}
producer: trade-producer
detector: anomaly-detector
archiver: s3-archiver
{{- end -}}

{{- define "tap.adminSecretName" -}}
{{- if .Values.admin.existingSecret -}}{{ .Values.admin.existingSecret }}{{- else -}}{{ include "tap.fullname" . }}-admin{{- end -}}
{{- end -}}

{{- define "tap.serviceAccountName" -}}
{{- $root := index . 0 -}}{{- $name := index . 1 -}}{{- $svc := index . 2 -}}
{{- if $svc.serviceAccount.name -}}{{ $svc.serviceAccount.name }}{{- else -}}{{ include "tap.fullname" $root }}-{{ $name }}{{- end -}}
{{- end -}}
