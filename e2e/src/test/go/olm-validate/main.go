// olm-validate loads an operator bundle directory (manifests/ and metadata/) with the operator
// framework's own loader (github.com/operator-framework/api/pkg/manifests, as operator-sdk bundle
// validate does) and runs its validators on it: the default bundle validators (CSV, CRDs, bundle)
// and the optional suite operator-sdk calls "operatorframework" (OperatorHub, capabilities,
// categories, objects, good practices, deprecated APIs for the given Kubernetes version).
//
//	olm-validate BUNDLE_DIR K8S_VERSION
//
// It prints one JSON object on stdout: what was loaded (package, channels, the CSV and the objects
// of manifests/) and every result with its errors and warnings. It exits 0 whenever the bundle
// could be loaded, whatever the results say: the caller judges them. A bundle that cannot be
// loaded exits 2 with the loader's error on stderr.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/operator-framework/api/pkg/manifests"
	"github.com/operator-framework/api/pkg/validation"
	"github.com/operator-framework/api/pkg/validation/errors"
)

type finding struct {
	Validator string `json:"validator"`
	Name      string `json:"name"`
	Level     string `json:"level"`
	Type      string `json:"type"`
	Field     string `json:"field"`
	Detail    string `json:"detail"`
}

type report struct {
	Package        string    `json:"package"`
	Channels       []string  `json:"channels"`
	DefaultChannel string    `json:"defaultChannel"`
	CSV            string    `json:"csv"`
	CRDs           []string  `json:"crds"`
	Objects        []string  `json:"objects"`
	Findings       []finding `json:"findings"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: olm-validate BUNDLE_DIR K8S_VERSION")
		os.Exit(64)
	}
	// Absolute: the loader skips a directory whose name starts with a dot, "." included.
	dir, err := filepath.Abs(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "olm-validate: %v\n", err)
		os.Exit(2)
	}
	bundle, err := manifests.GetBundleFromDir(dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "olm-validate: loading %s: %v\n", dir, err)
		os.Exit(2)
	}
	r := report{
		Package:        bundle.Package,
		Channels:       bundle.Channels,
		DefaultChannel: bundle.DefaultChannel,
		CRDs:           []string{},
		Objects:        []string{},
		Findings:       []finding{},
	}
	if bundle.CSV != nil {
		r.CSV = bundle.CSV.GetName()
	}
	for _, crd := range bundle.V1CRDs {
		r.CRDs = append(r.CRDs, crd.GetName())
	}
	for _, o := range bundle.Objects {
		r.Objects = append(r.Objects, o.GetKind()+"/"+o.GetName())
	}
	sort.Strings(r.Objects)

	objs := bundle.ObjectsToValidate()
	// The optional validators read their settings from a map among the objects, as operator-sdk's
	// --optional-values passes them.
	objs = append(objs, map[string]string{"k8s-version": os.Args[2]})
	validators := []struct {
		name string
		run  func(...interface{}) []errors.ManifestResult
	}{
		{"ClusterServiceVersion", validation.ClusterServiceVersionValidator.Validate},
		{"CustomResourceDefinition", validation.CustomResourceDefinitionValidator.Validate},
		{"Bundle", validation.BundleValidator.Validate},
		{"OperatorHubV2", validation.OperatorHubV2Validator.Validate},
		{"StandardCapabilities", validation.StandardCapabilitiesValidator.Validate},
		{"StandardCategories", validation.StandardCategoriesValidator.Validate},
		{"Object", validation.ObjectValidator.Validate},
		{"GoodPractices", validation.GoodPracticesValidator.Validate},
		{"AlphaDeprecatedAPIs", validation.AlphaDeprecatedAPIsValidator.Validate},
	}
	for _, v := range validators {
		for _, result := range v.run(objs...) {
			for _, e := range append(append([]errors.Error{}, result.Errors...), result.Warnings...) {
				r.Findings = append(r.Findings, finding{
					Validator: v.name,
					Name:      result.Name,
					Level:     string(e.Level),
					Type:      string(e.Type),
					Field:     e.Field,
					Detail:    e.Error(),
				})
			}
		}
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	if err := out.Encode(r); err != nil {
		fmt.Fprintf(os.Stderr, "olm-validate: %v\n", err)
		os.Exit(1)
	}
}
