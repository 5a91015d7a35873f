²
tE
C
Placeholder
output"dtype"
dtypetype"
shapeshape:"serve*2.21.02v2.21.0-rc1-5-ga481b10260d8ƒ
g
in_xPlaceholder*'
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0*
shape:ÿÿÿÿÿÿÿÿÿ
`
out_sPlaceholder*#
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0*
shape:ÿÿÿÿÿÿÿÿÿ
a
in_idsPlaceholder*#
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0	*
shape:ÿÿÿÿÿÿÿÿÿ
d
	out_labelPlaceholder*#
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0*
shape:ÿÿÿÿÿÿÿÿÿ
h
out_yPlaceholder*'
_output_shapes
:ÿÿÿÿÿÿÿÿÿ*
dtype0*
shape:ÿÿÿÿÿÿÿÿÿ"ª*k
scoresa
"
x
in_x:0ÿÿÿÿÿÿÿÿÿ
s
out_s:0ÿÿÿÿÿÿÿÿÿtensorflow/serving/predict*Æ
serving_default²
"
ids
in_ids:0	ÿÿÿÿÿÿÿÿÿ
"
x
in_x:0ÿÿÿÿÿÿÿÿÿ'
label
out_label:0ÿÿÿÿÿÿÿÿÿ#
y
out_y:0ÿÿÿÿÿÿÿÿÿtensorflow/serving/predict