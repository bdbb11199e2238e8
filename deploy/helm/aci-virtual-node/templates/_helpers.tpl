{{/* Labels of every object: kustomize's (deploy/kustomization.yaml) and Helm's own. */}}
{{- define "avn.labels" -}}
app.kubernetes.io/part-of: aci-virtual-node
{{ include "avn.helmLabels" . }}
{{- end }}

{{/* Helm's own labels (the pod template gets these, as kustomize's labels skip templates). */}}
{{- define "avn.helmLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{/* The operator's namespace. */}}
{{- define "avn.namespace" -}}
{{ .Values.namespace.name }}
{{- end }}

{{/* The ServiceAccount as an RBAC subject. */}}
{{- define "avn.subject" -}}
- kind: ServiceAccount
  name: aci-virtual-node
  namespace: {{ include "avn.namespace" . }}
{{- end }}

{{/*
"true" when the chart creates the credentials Secret, "" when it does not; fails on values that
say both or half.
*/}}
{{- define "avn.createCredentials" -}}
{{- $c := .Values.credentials -}}
{{- $inline := list -}}
{{- $missing := list -}}
{{- range $key := list "tenantId" "clientId" "clientSecret" -}}
{{- if get $c $key }}{{ $inline = append $inline $key }}{{ else }}{{ $missing = append $missing $key }}{{ end -}}
{{- end -}}
{{- if and $c.existingSecret $inline -}}
{{- fail (printf "credentials: set either existingSecret (%s) or tenantId, clientId and clientSecret, not both (%s given)" $c.existingSecret (join ", " $inline)) -}}
{{- end -}}
{{- if and $inline $missing -}}
{{- fail (printf "credentials: tenantId, clientId and clientSecret go together; %s missing" (join ", " $missing)) -}}
{{- end -}}
{{- if $inline }}true{{ end -}}
{{- end }}

{{/* The name of the credentials Secret VirtualNodes refer to. */}}
{{- define "avn.credentialsSecret" -}}
{{ .Values.credentials.existingSecret | default "aci-credentials" }}
{{- end }}
