-- Argo CD health of a VirtualNode (acivirtualnode.github.io/v1alpha1), from its Ready condition.
-- Healthy: Ready=True for the current spec (status.observedGeneration == metadata.generation).
-- Degraded: Ready=False for a reason a human must fix (credentials, resource group, region, quota,
--   a Node name taken, a Node the API server refuses), with the condition's message. Shown even
--   while observedGeneration lags: a spec the operator cannot apply keeps it behind for good.
-- Progressing: the rest (no status yet, the Node registering, the first backend probe pending,
--   Ready for an older spec). A transient ARM outage keeps Ready=True (see operator/README.md),
--   so it stays Healthy, as the Node does.
-- Only Lua's base and table libraries: all Argo CD opens for a script from argocd-cm.
local hs = {}
local progressing = {
  NodeNotRegistered = true,
  Registering = true,
  AwaitingBackendProbe = true,
}

local ready = nil
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" then
      ready = condition
    end
  end
end

if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report the Ready condition"
  return hs
end

local message = ready.message or ready.reason or ("Ready is " .. tostring(ready.status))
if ready.status == "False" and not progressing[ready.reason] then
  hs.status = "Degraded"
  hs.message = message
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if observed == nil or observed ~= generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to apply generation " .. tostring(generation)
    .. " (observed " .. tostring(observed) .. ")"
  return hs
end

if ready.status == "True" then
  hs.status = "Healthy"
else
  hs.status = "Progressing"
end
hs.message = message
return hs
